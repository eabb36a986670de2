package org.mustjava.experiments.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.distributed.ClusterRuntime;
import org.mustjava.core.distributed.ClusterSpec;
import org.mustjava.core.distributed.WorkerMain;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Precision;
import org.mustjava.core.train.SessionConfigs;
import org.mustjava.core.train.TrainingGraph;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.proto.ConfigProto;

/**
 * {@code tools/benchmark scaleout}: images/s of the mini student's training step (the engine's
 * train op, fed by the input pipeline on 64 px synthetic scenes) run three ways on the same global
 * batch, timed in alternating blocks in one process so that they share the machine's load:
 *
 * <ul>
 *   <li>{@code float32}: one process, one tower (a plain in-process session);
 *   <li>{@code bfloat16}: the same with {@code Precision.compute = 'bfloat16'};
 *   <li>{@code workers}: a loopback cluster of {@code --workers} tasks, this process the chief (task 0,
 *       holding the variables and the input pipeline) and worker processes started here
 *       ({@link WorkerMain}, what {@code tools/run-worker} runs); one tower per task on an equal slice
 *       of the batch, through the chief's gRPC session ({@link ClusterRuntime}), as
 *       {@code tools/run-experiment --cluster} trains.
 * </ul>
 *
 * On one machine the workers share its cores, so the cluster measures the cost of the distributed
 * runtime (gRPC transfers, per-task graph partitions), not a speed-up.
 */
public final class ScaleOutBenchmark {
  static final List<String> VARIANTS = List.of("float32", "bfloat16", "workers");

  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--variants", description = "Which variants: float32, bfloat16, workers.")
    List<String> variants = new ArrayList<>(VARIANTS);

    @Parameter(names = "--workers", description = "Tasks of the loopback cluster (the chief included).")
    int workers = 2;

    @Parameter(names = "--batch", description = "Global batch (split evenly across the cluster's tasks).")
    int batch = 32;

    @Parameter(names = "--image_size", description = "Image size, px.")
    int imageSize = 64;

    @Parameter(names = "--seconds", description = "Minimum timed seconds per variant, over all rounds.")
    double seconds = 30;

    @Parameter(names = "--min_steps", description = "Minimum timed steps per variant, over all rounds.")
    int minSteps = 10;

    @Parameter(names = "--warmup_steps", description = "Untimed steps per variant first.")
    int warmupSteps = 3;

    @Parameter(names = "--rounds", description = "Alternating blocks (float32, bfloat16, workers, float32, ...).")
    int rounds = 3;

    @Parameter(names = "--scenes", description = "Synthetic scenes generated for the pipeline.")
    int scenes = 256;

    @Parameter(names = "--seed", description = "Seed of the scenes, the pipeline and the variables.")
    long seed = 1;
  }

  /** One way of running the step: its graph, session and train op. */
  private record Variant(String name, String how, int towers, Graph graph, Session session, Op train) {}

  private ScaleOutBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    // The chief's in-process TF server cannot be stopped in-process (ClusterRuntime): exit explicitly.
    System.exit(run(args, out, err));
  }

  /** Runs the benchmark; the table on {@code out}, progress on {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark scaleout",
        "Images/s of the mini student's training step on one process (float32, bfloat16) and on a loopback\n"
            + "cluster of worker processes with the same global batch, in alternating blocks.",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    try {
      for (String v : f.variants) {
        if (!VARIANTS.contains(v)) throw new ParameterException("unknown variant '" + v + "' " + VARIANTS);
      }
      if (f.workers < 2 || f.batch < 1 || f.batch % f.workers != 0) {
        throw new ParameterException("--workers >= 2 and --batch a positive multiple of --workers");
      }
      if (f.imageSize < 32 || f.minSteps < 1 || f.warmupSteps < 0 || f.rounds < 1 || f.scenes < 1 || f.seconds < 0) {
        throw new ParameterException("--image_size >= 32; --min_steps, --rounds, --scenes >= 1; --warmup_steps, --seconds >= 0");
      }
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    String loadBefore = MachineInfo.loadAverage();
    List<Process> workers = new ArrayList<>();
    List<Variant> variants = new ArrayList<>();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("must-scaleout");
      Path scenes = BenchmarkScenes.write(dir, f.imageSize, f.scenes, Runtime.getRuntime().availableProcessors(), f.seed);
      ConfigProto config = SessionConfigs.create(1, 0, 0);
      for (String v : f.variants) {
        if (v.equals("workers")) {
          ClusterSpec spec = ClusterSpec.localhost(f.workers);
          for (int task = 1; task < f.workers; task++) workers.add(startWorker(spec, task));
          ClusterRuntime.startChief(spec, config);
          err.println("cluster " + spec + " up (this process is task 0)");
        }
        variants.add(build(v, f, scenes, config, err));
      }
      StepTimer timer = new StepTimer(f.warmupSteps, f.minSteps, f.seconds);
      List<Runnable> steps = new ArrayList<>();
      for (Variant v : variants) steps.add(() -> v.session().runner().addTarget(v.train()).run());
      err.printf(Locale.ROOT, "timing %d variant(s) in %d alternating round(s)...%n", variants.size(), f.rounds);
      List<Timing> timings = timer.alternate(f.rounds, steps);

      String model = StudentModel.mini(BenchmarkScenes.NUM_CLASSES).description();
      out.println("machine: " + MachineInfo.describe());
      out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + MachineInfo.loadAverage() + " at the end");
      out.printf(Locale.ROOT, "model: %s; %d px synthetic scenes through the input pipeline; global batch %d; "
          + "SGD with momentum %.1f; %d alternating rounds%n%n", model, f.imageSize, f.batch, BenchmarkStepTask.MOMENTUM, f.rounds);
      MarkdownTable table = new MarkdownTable("variant", "how", "towers x batch", "steps timed", "s/step", "images/s",
          "vs float32, 1 process");
      double reference = Double.NaN;
      for (int i = 0; i < variants.size(); i++) {
        Variant v = variants.get(i);
        Timing t = timings.get(i);
        if (v.name().equals("float32")) reference = t.perSecond(f.batch);
        table.row(v.name(), v.how(), v.towers() + " x " + f.batch / v.towers(), t.steps(),
            InputBenchmark.fmt(t.secondsPerStep()), InputBenchmark.fmt(t.perSecond(f.batch)),
            Double.isNaN(reference) ? "" : String.format(Locale.ROOT, "%.2f", t.perSecond(f.batch) / reference));
      }
      out.print(table);
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e);
      return 1;
    } finally {
      for (Variant v : variants) {
        v.session().close();
        v.graph().close();
      }
      for (Process w : workers) {
        w.destroyForcibly();
        try {
          w.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (dir != null) {
        try {
          InputBenchmark.deleteTree(dir);
        } catch (IOException e) {
          err.println("could not delete " + dir + ": " + e);
        }
      }
    }
  }

  /** Builds and initialises one variant's graph and session. */
  private static Variant build(String name, Flags f, Path scenes, ConfigProto config, PrintStream log) {
    InputPipeline pipeline = InputPipeline.builder(List.of(scenes.toString()),
            Set.of(LabelTypes.CLASSIFICATION, LabelTypes.SEGMENTATION, LabelTypes.DEPTH, LabelTypes.NORMALS))
        .batchSize(f.batch)
        .imageSize(f.imageSize)
        .numClasses(BenchmarkScenes.NUM_CLASSES)
        .shuffleBuffer(Math.min(256, f.scenes))
        .seed(f.seed)
        .build();
    boolean cluster = name.equals("workers");
    Precision precision = Precision.of(name.equals("bfloat16") ? "bfloat16" : "float32");
    Graph g = new Graph();
    try {
      GraphContext root = GraphContext.create(g, f.seed, precision);
      BenchmarkStepTask task = new BenchmarkStepTask(StudentModel.mini(BenchmarkScenes.NUM_CLASSES).model(),
          BenchmarkStepTask.pipelineInputs(pipeline));
      List<String> devices = cluster ? ClusterRuntime.towerDevices(List.of()) : List.of();
      TrainingGraph tg = task.trainingGraph(root, InputBenchmark.WEIGHT_DECAY, devices);
      Session s = cluster ? ClusterRuntime.openSession(g, config) : new Session(g, config);
      s.initialize();
      for (Op init : tg.trainInputs.initializers()) s.runner().addTarget(init).run();
      String how = cluster
          ? f.workers + " processes on loopback (chief + " + (f.workers - 1) + " worker), gRPC"
          : "1 process, " + precision.compute().configName() + " compute";
      log.println(name + ": built (" + how + ")");
      return new Variant(name, how, Math.max(1, devices.size()), g, s, tg.trainOp);
    } catch (RuntimeException e) {
      g.close();
      throw e;
    }
  }

  /** Starts worker task {@code task} of {@code spec} as a child JVM on this classpath; returns once it serves. */
  private static Process startWorker(ClusterSpec spec, int task) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        WorkerMain.class.getName(), "--cluster", spec.toString(), "--task", Integer.toString(task));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("worker task " + task)) {
      p.destroyForcibly();
      throw new IOException("worker task " + task + " did not start (it printed: " + line + ")");
    }
    return p;
  }
}
