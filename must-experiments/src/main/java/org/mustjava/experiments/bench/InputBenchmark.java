package org.mustjava.experiments.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.data.labels.LabelTypes;

/**
 * {@code tools/benchmark input}: does the multi-task input pipeline keep the training step fed?
 * In one run (the machine is shared and noisy, so every ratio comes from figures measured minutes
 * apart, not days), for each image size:
 *
 * <ol>
 *   <li>generates synthetic multi-task scenes ({@link BenchmarkScenes}) into a temporary directory;
 *   <li>measures the training {@link InputPipeline} with every task's labels alone, images/s, at
 *       each map parallelism ({@link PipelineThroughput});
 *   <li>measures the training engine's step (the train op of must-core's {@code TrainingGraph})
 *       of the corresponding student ({@link StudentModel}: the mini student below {@value #LARGE_FROM} px, a ResNet-50 + FPN student from there on),
 *       once fed from constant tensors and once fed from the pipeline, in alternating blocks
 *       ({@link PipelineFedTrainStep}), then a few traced steps from the pipeline give the time the
 *       step spends in {@code IteratorGetNext}, an upper bound on its wait for input;
 * </ol>
 *
 * and prints Markdown tables: pipeline images/s, step images/s, and the ratio pipeline / step
 * (the target: at least 2) and step from pipeline / step from constants (about 1 when
 * input never stalls the step).
 */
public final class InputBenchmark {
  /** Sizes from here on use the paper-family student and the large batch. */
  static final int LARGE_FROM = 256;

  /** The trainer's weight decay in the timed step: the mini experiments' {@code Trainer.weight_decay}. */
  static final double WEIGHT_DECAY = 1e-4;

  /** Command-line flags. */
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--sizes", description = "Image sizes (output px of the pipeline and model input).")
    List<Integer> sizes = new ArrayList<>(List.of(64, 640));

    @Parameter(names = "--parallelism", description = "Map parallelisms of the pipeline-alone measurements.")
    List<Integer> parallelism = new ArrayList<>(List.of(1, 2, 4));

    @Parameter(names = "--fed_parallelism", description = "Map parallelism of the pipeline that feeds the training step.")
    int fedParallelism = 2;

    @Parameter(names = "--small_batch", description = "Batch below " + LARGE_FROM + " px (mini student).")
    int smallBatch = 16;

    @Parameter(names = "--large_batch", description = "Batch from " + LARGE_FROM + " px on (paper-family student).")
    int largeBatch = 1;

    @Parameter(names = "--large_depth", description = "ResNet depth of the student from " + LARGE_FROM + " px on.")
    int largeDepth = 50;

    @Parameter(names = "--small_scenes", description = "Scenes generated below " + LARGE_FROM + " px.")
    int smallScenes = 256;

    @Parameter(names = "--large_scenes", description = "Scenes generated from " + LARGE_FROM + " px on (the pipeline repeats them).")
    int largeScenes = 16;

    @Parameter(names = "--pipeline_seconds", description = "Minimum timed seconds per pipeline measurement (after 3 warm-up batches).")
    double pipelineSeconds = 4;

    @Parameter(names = "--step_seconds", description = "Minimum timed seconds per training-step mode, summed over the rounds.")
    double stepSeconds = 10;

    @Parameter(names = "--min_steps", description = "Minimum timed steps per training-step mode, summed over the rounds.")
    int minSteps = 2;

    @Parameter(names = "--rounds", description = "Alternating blocks (constants, pipeline, constants, ...) per mode.")
    int rounds = 2;

    @Parameter(names = "--warmup_steps", description = "Untimed training steps per mode before timing.")
    int warmupSteps = 1;

    @Parameter(names = "--traced_seconds", description = "Minimum seconds of traced steps (at least one) that measure the input wait.")
    double tracedSeconds = 2;

    @Parameter(names = "--workdir", description = "Directory for the generated scenes (kept); default: a temporary one, deleted.")
    String workdir;

    @Parameter(names = "--seed", description = "Seed of the scenes, the pipelines and the variable initialisation.")
    long seed = 1;

  }

  /**
   * What to measure at one image size.
   *
   * @param size pipeline output and model input, px
   * @param batch batch of the pipeline and of the step
   * @param scenes synthetic scenes generated (of {@code size x 3/4 size} px)
   * @param model the student trained at this size
   */
  record SizeSetting(int size, int batch, int scenes, StudentModel model) {}

  /**
   * Measurements at one size.
   *
   * @param pipeline images/s of the pipeline alone by map parallelism
   * @param fromConstants the training step on one batch fed again and again
   * @param fromPipeline the training step reading the pipeline (parallelism {@code fedParallelism})
   * @param inputWait time the step from the pipeline waited in {@code IteratorGetNext} (traced steps)
   */
  record SizeResult(SizeSetting setting, Map<Integer, Double> pipeline, int fedParallelism,
      Timing fromConstants, Timing fromPipeline, PipelineFedTrainStep.InputWait inputWait) {
    double stepImagesPerSecond() {
      return fromConstants.perSecond(setting.batch());
    }

    double fedImagesPerSecond() {
      return fromPipeline.perSecond(setting.batch());
    }
  }

  private InputBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the benchmark; tables on {@code out}, progress on {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark input",
        "Does the multi-task input pipeline keep the training step fed? Pipeline images/s per task and map\nparallelism, and the training step fed from constants vs from the pipeline, per image size.",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    try {
      if (f.sizes.isEmpty() || f.parallelism.isEmpty()) throw new ParameterException("--sizes and --parallelism need values");
      if (f.sizes.stream().anyMatch(s -> s < 8)) throw new ParameterException("--sizes must be >= 8");
      if (f.parallelism.stream().anyMatch(p -> p < 1) || f.fedParallelism < 1) {
        throw new ParameterException("parallelism must be >= 1");
      }
      if (f.smallBatch < 1 || f.largeBatch < 1 || f.smallScenes < 1 || f.largeScenes < 1) {
        throw new ParameterException("batches and scene counts must be >= 1");
      }
      if (f.rounds < 1 || f.minSteps < 1 || f.warmupSteps < 0 || f.pipelineSeconds < 0 || f.stepSeconds < 0
          || f.tracedSeconds < 0) {
        throw new ParameterException("--rounds, --min_steps >= 1; --warmup_steps, seconds >= 0");
      }
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    List<SizeSetting> settings = settings(f);
    StepTimer pipelineTimer = new StepTimer(3, 3, f.pipelineSeconds);
    StepTimer stepTimer = new StepTimer(f.warmupSteps, f.minSteps, f.stepSeconds);
    try {
      run(settings, f.parallelism, f.fedParallelism, pipelineTimer, stepTimer, f.rounds, f.tracedSeconds,
          f.workdir == null ? null : Path.of(f.workdir), f.seed, out, err);
      return 0;
    } catch (IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
  }

  /** The student, batch and scene count of each size: the mini student below {@value #LARGE_FROM} px. */
  static List<SizeSetting> settings(Flags f) {
    List<SizeSetting> settings = new ArrayList<>();
    for (int size : f.sizes) {
      boolean large = size >= LARGE_FROM;
      settings.add(new SizeSetting(size, large ? f.largeBatch : f.smallBatch,
          large ? f.largeScenes : f.smallScenes,
          large ? StudentModel.paperFamily(f.largeDepth, BenchmarkScenes.NUM_CLASSES)
              : StudentModel.mini(BenchmarkScenes.NUM_CLASSES)));
    }
    return settings;
  }

  /** Measures every setting and prints the tables. */
  static List<SizeResult> run(List<SizeSetting> settings, List<Integer> parallelisms, int fedParallelism,
      StepTimer pipelineTimer, StepTimer stepTimer, int rounds, double tracedSeconds, Path workdir, long seed,
      PrintStream out, PrintStream err) throws IOException {
    String loadBefore = MachineInfo.loadAverage();
    long start = System.nanoTime();
    boolean ownDir = workdir == null;
    Path dir = ownDir ? Files.createTempDirectory("must-input-benchmark") : Files.createDirectories(workdir);
    List<SizeResult> results = new ArrayList<>();
    try {
      for (SizeSetting s : settings) {
        results.add(measure(s, dir, parallelisms, fedParallelism, pipelineTimer, stepTimer, rounds, tracedSeconds, seed, err));
      }
    } finally {
      if (ownDir) deleteTree(dir);
    }
    print(results, stepTimer, rounds, loadBefore, MachineInfo.loadAverage(), (System.nanoTime() - start) / 1e9, out);
    return results;
  }

  static SizeResult measure(SizeSetting s, Path dir, List<Integer> parallelisms, int fedParallelism,
      StepTimer pipelineTimer, StepTimer stepTimer, int rounds, double tracedSeconds, long seed, PrintStream log)
      throws IOException {
    long t0 = System.nanoTime();
    Path file = BenchmarkScenes.write(dir, s.size(), s.scenes(), Runtime.getRuntime().availableProcessors(), seed);
    log.printf(Locale.ROOT, "%d px: generated %d scenes of %dx%d in %.1f s (%.1f MB)%n", s.size(), s.scenes(),
        s.size(), Math.max(8, s.size() * 3 / 4), (System.nanoTime() - t0) / 1e9, Files.size(file) / 1e6);
    Map<Integer, Double> pipeline = new LinkedHashMap<>();
    for (int p : parallelisms) {
      double ips = PipelineThroughput.imagesPerSecond(pipeline(file, s, p, seed), pipelineTimer);
      pipeline.put(p, ips);
      log.printf(Locale.ROOT, "%d px: pipeline, parallelism %d: %.1f images/s%n", s.size(), p, ips);
    }
    log.printf("%d px: building %s, batch %d...%n", s.size(), s.model().description(), s.batch());
    long t1 = System.nanoTime();
    try (PipelineFedTrainStep step = new PipelineFedTrainStep(
        pipeline(file, s, fedParallelism, seed), s.model().model(), seed, WEIGHT_DECAY)) {
      log.printf(Locale.ROOT, "%d px: built and initialised in %.1f s; timing the step (constants / pipeline, %d round(s))...%n",
          s.size(), (System.nanoTime() - t1) / 1e9, rounds);
      List<Timing> t = stepTimer.alternate(rounds, List.of(step::stepFromConstants, step::stepFromPipeline));
      PipelineFedTrainStep.InputWait wait = step.traceInputWait(tracedSeconds);
      SizeResult r = new SizeResult(s, pipeline, fedParallelism, t.get(0), t.get(1), wait);
      log.printf(Locale.ROOT, "%d px: step from constants %.2f images/s, from the pipeline %.2f images/s; "
              + "input wait %.2f ms per step (%d traced steps)%n",
          s.size(), r.stepImagesPerSecond(), r.fedImagesPerSecond(), wait.waitMillisPerStep(), wait.steps());
      return r;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The multi-task training pipeline (every task, the paper's augmentation) the student reads. */
  static InputPipeline pipeline(Path file, SizeSetting s, int parallelism, long seed) {
    return InputPipeline.builder(List.of(file.toString()), LabelTypes.all())
        .batchSize(s.batch())
        .imageSize(s.size())
        .parallelism(parallelism)
        .numClasses(BenchmarkScenes.NUM_CLASSES)
        .shuffleBuffer(Math.min(256, s.scenes()))
        .seed(seed)
        .build();
  }

  static void print(List<SizeResult> results, StepTimer stepTimer, int rounds, String loadBefore,
      String loadAfter, double seconds, PrintStream out) {
    out.println("machine: " + MachineInfo.describe());
    out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + loadAfter + " at the end");
    out.printf(Locale.ROOT, "run time: %.0f s%n%n", seconds);

    out.println("Pipeline alone: training pipeline with every task's labels (class, boxes, segmentation,");
    out.println("depth, normals), scale jitter [0.5, 2.0] + crop/pad + flip; all tensors fetched.");
    out.println();
    MarkdownTable pt = new MarkdownTable("image px", "batch", "parallelism", "images/s");
    for (SizeResult r : results) {
      r.pipeline().forEach((par, ips) -> pt.row(r.setting().size(), r.setting().batch(), par, fmt(ips)));
    }
    out.println(pt);

    out.printf(Locale.ROOT, "Training step: the engine's train op (TrainingGraph: forward, backward, global"
        + " gradient norm, momentum %s update at learning rate %s with weight decay %s, BatchNorm updates); %d"
        + " warm-up step(s) per mode, then %d alternating round(s); CPU = process CPU time (all threads, the"
        + " pipeline's included):%n%n", BenchmarkStepTask.MOMENTUM, BenchmarkStepTask.LEARNING_RATE, WEIGHT_DECAY,
        stepTimer.warmupSteps(), rounds);
    MarkdownTable st = new MarkdownTable("image px", "model", "batch", "input", "steps timed", "s/step",
        "CPU s/step", "images/s", "time in IteratorGetNext per step (traced)");
    for (SizeResult r : results) {
      SizeSetting s = r.setting();
      PipelineFedTrainStep.InputWait w = r.inputWait();
      Timing c = r.fromConstants();
      Timing f = r.fromPipeline();
      st.row(s.size(), s.model().description(), s.batch(), "constant tensors", c.steps(),
          fmt(c.secondsPerStep()), fmt(c.cpuSeconds() / c.steps()), fmt(r.stepImagesPerSecond()), "-");
      st.row(s.size(), s.model().description(), s.batch(), "pipeline (parallelism " + r.fedParallelism() + ")",
          f.steps(), fmt(f.secondsPerStep()), fmt(f.cpuSeconds() / f.steps()), fmt(r.fedImagesPerSecond()),
          String.format(Locale.ROOT, "%s ms (%s%% of the step; %d steps)", fmt(w.waitMillisPerStep()),
              fmt(100 * w.fraction()), w.steps()));
    }
    out.println(st);

    out.println("Ratios (target: pipeline / step >= 2; step from pipeline / from constants near 1 = input does not stall):");
    out.println();
    MarkdownTable ratio = new MarkdownTable("image px", "parallelism", "pipeline / step", "step from pipeline / from constants");
    for (SizeResult r : results) {
      double step = r.stepImagesPerSecond();
      r.pipeline().forEach((par, ips) -> ratio.row(r.setting().size(), par, fmt(ips / step) + " x",
          par == r.fedParallelism() ? fmt(r.fedImagesPerSecond() / step) : "-"));
      if (!r.pipeline().containsKey(r.fedParallelism())) {
        ratio.row(r.setting().size(), r.fedParallelism(), "-", fmt(r.fedImagesPerSecond() / step));
      }
    }
    out.println(ratio);
  }

  /** Three significant digits, no exponent (whole numbers from 100 up), for the tables. */
  static String fmt(double v) {
    if (!Double.isFinite(v)) return String.valueOf(v);
    if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
    if (v == 0) return "0";
    return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
