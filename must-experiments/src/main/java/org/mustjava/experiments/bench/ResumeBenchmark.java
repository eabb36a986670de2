package org.mustjava.experiments.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.mustjava.core.checkpoint.IteratorState;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.train.ConstantLearningRate;
import org.mustjava.core.train.MomentumOptimizer;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.StepListener;
import org.mustjava.core.train.Trainer;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * {@code tools/benchmark resume}: how long a resumed run takes to reach its first step, against the
 * step it resumes from. For each step N, a run of {@link PipelineLinearTask} (the real input
 * pipeline, a tiny model) is trained to N and checkpointed; then, from copies of that run, the
 * {@link Trainer} resumes to N + 1 in two ways:
 *
 * <ul>
 *   <li>iterator state: the checkpoint as written, with the input iterator's state, restored in
 *       O(1) ({@link IteratorState});
 *   <li>skip: the same checkpoint without the iterator state, so the pipeline skips N x batch
 *       records (read and shuffled, not decoded), as resumes did before the iterator state.
 * </ul>
 *
 * The time is from the {@code Trainer.train} call (graph building, session, variable restore,
 * input positioning) to the end of the first resumed step, the median of {@code --repeats}, each
 * from a fresh copy of the run, after one untimed resume of each kind, all in one JVM. The input
 * alone is timed too, with less noise from the rest: a fresh graph and session with only the
 * pipeline, positioned either way, to its first batch.
 */
public final class ResumeBenchmark {
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--steps", description = "Steps to train to and resume from.")
    List<Long> steps = new ArrayList<>(List.of(10L, 1000L, 10000L));

    @Parameter(names = "--batch", description = "Batch size.")
    int batch = 4;

    @Parameter(names = "--image_size", description = "Image size, px.")
    int imageSize = 16;

    @Parameter(names = "--scenes", description = "Synthetic scenes in the training file.")
    int scenes = 256;

    @Parameter(names = "--repeats", description = "Resumes timed per step and way (the median is shown).")
    int repeats = 3;

    @Parameter(names = "--seed", description = "Seed of the scenes, the pipeline and the variables.")
    long seed = 1;
  }

  private ResumeBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the benchmark; the table on {@code out}, progress on {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark resume",
        "Time from the Trainer.train call to the first resumed step, against the step resumed from:\n"
            + "with the input iterator state (O(1)) and by skipping step x batch records.",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    try {
      if (f.steps.isEmpty() || f.steps.stream().anyMatch(s -> s < 1) || f.batch < 1 || f.imageSize < 8
          || f.scenes < 1 || f.repeats < 1) {
        throw new ParameterException("--steps (each >= 1), --batch, --scenes, --repeats >= 1; --image_size >= 8");
      }
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    String loadBefore = MachineInfo.loadAverage();
    out.println("machine: " + MachineInfo.describe());
    Path dir = null;
    try {
      dir = Files.createTempDirectory("must-resume-benchmark");
      Path file = BenchmarkScenes.write(dir, f.imageSize, f.scenes, 1, f.seed);
      List<String> files = List.of(file.toString());
      MarkdownTable table = new MarkdownTable(
          "resumed from step", "records before it", "training to it, s", "to first step, iterator state, s",
          "to first step, skip, s", "input only, iterator state, s", "input only, skip, s");
      for (long n : f.steps) {
        PipelineLinearTask task = new PipelineLinearTask(files, f.batch, f.imageSize, BenchmarkScenes.NUM_CLASSES, f.seed);
        Path trained = dir.resolve("run-" + n);
        long t0 = System.nanoTime();
        trainer(n, f.seed).train(task, trained, "");
        double trainSeconds = (System.nanoTime() - t0) / 1e9;
        err.printf(Locale.ROOT, "trained to step %d in %.1f s%n", n, trainSeconds);
        // One untimed resume of each kind first: the first of a graph shape loads and compiles more.
        timeToFirstStep(task, trained, dir.resolve("resume"), n, f.seed, true);
        timeToFirstStep(task, trained, dir.resolve("resume"), n, f.seed, false);
        Path checkpoint = trained.resolve("checkpoints").resolve("ckpt-" + n);
        inputToFirstBatch(task.pipeline(), checkpoint, n, true);
        inputToFirstBatch(task.pipeline(), checkpoint, n, false);
        List<Double> withState = new ArrayList<>();
        List<Double> skipping = new ArrayList<>();
        List<Double> inputWithState = new ArrayList<>();
        List<Double> inputSkipping = new ArrayList<>();
        for (int r = 0; r < f.repeats; r++) {
          withState.add(timeToFirstStep(task, trained, dir.resolve("resume"), n, f.seed, true));
          skipping.add(timeToFirstStep(task, trained, dir.resolve("resume"), n, f.seed, false));
          inputWithState.add(inputToFirstBatch(task.pipeline(), checkpoint, n, true));
          inputSkipping.add(inputToFirstBatch(task.pipeline(), checkpoint, n, false));
        }
        err.printf(Locale.ROOT, "step %d: iterator state %s s, skip %s s; input only: iterator state %s s, skip %s s%n",
            n, withState, skipping, inputWithState, inputSkipping);
        table.row(n, n * f.batch, String.format(Locale.ROOT, "%.1f", trainSeconds),
            seconds(median(withState)), seconds(median(skipping)),
            seconds(median(inputWithState)), seconds(median(inputSkipping)));
      }
      out.printf(Locale.ROOT, "%nresume time, batch %d, %d px, %d scenes in one file of %d KB, median of %d%n%n",
          f.batch, f.imageSize, f.scenes, Files.size(file) / 1024, f.repeats);
      out.print(table);
      out.println();
      out.println("load average before: " + loadBefore + "; after: " + MachineInfo.loadAverage());
      return CommandLine.OK;
    } catch (IOException | RuntimeException e) {
      e.printStackTrace(err);
      return CommandLine.FAILURE;
    } finally {
      if (dir != null) deleteTree(dir);
    }
  }

  /**
   * Seconds from {@code Trainer.train} to the end of the first step, resuming a copy of {@code
   * trained} (at step {@code n}) to {@code n + 1}; without {@code iteratorState} the copy's
   * checkpoint loses its iterator state, so the pipeline skips to the step.
   */
  private static double timeToFirstStep(PipelineLinearTask task, Path trained, Path copy, long n, long seed,
      boolean iteratorState) throws IOException {
    deleteTree(copy);
    copyTree(trained, copy);
    Path checkpoint = copy.resolve("checkpoints").resolve("ckpt-" + n);
    if (!IteratorState.exists(checkpoint)) throw new IllegalStateException(checkpoint + " has no iterator state");
    if (!iteratorState) {
      try (var files = Files.list(checkpoint)) {
        for (Path p : files.toList()) {
          if (p.getFileName().toString().startsWith(IteratorState.BUNDLE_NAME + ".")) Files.delete(p);
        }
      }
    }
    long[] firstStep = new long[1];
    Trainer trainer = trainer(n + 1, seed).addListener(new StepListener() {
      @Override
      public void onStep(long step, Map<String, Double> losses, double lr) {
        if (step == n + 1) firstStep[0] = System.nanoTime();
      }
    });
    long t0 = System.nanoTime();
    trainer.train(task, copy, "");
    if (firstStep[0] == 0) throw new IllegalStateException("the resumed run ran no step");
    return (firstStep[0] - t0) / 1e9;
  }

  /**
   * Seconds to build the pipeline alone in a fresh graph and session, position it at step {@code n}
   * (restoring the iterator state of {@code checkpoint}, or skipping {@code n x batch} records) and
   * fetch its first batch.
   */
  private static double inputToFirstBatch(InputPipeline pipeline, Path checkpoint, long n, boolean iteratorState) {
    long t0 = System.nanoTime();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      InputBatch batch = pipeline.build(tf.withSubScope("train_input"), iteratorState ? 0 : n * pipeline.batchSize());
      IteratorState state = iteratorState ? new IteratorState(tf.withSubScope("saver"), batch.iterator()) : null;
      try (Session session = new Session(graph)) {
        session.runner().addTarget(batch.initializer()).run().close();
        if (state != null) state.restore(session, checkpoint);
        session.runner().fetch(batch.image()).run().close();
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String seconds(double s) {
    return String.format(Locale.ROOT, "%.3f", s);
  }

  /** A trainer to {@code steps} that checkpoints only at the end and logs nothing. */
  private static Trainer trainer(long steps, long seed) {
    int never = Integer.MAX_VALUE;
    return new Trainer(steps, new MomentumOptimizer(0.9, false), new ConstantLearningRate(0.01), 0, 0,
        never, never, 0, never, 2, 0, 0, 1e9, List.of(), seed, java.util.Optional.empty(), "", true, false, 0, 0,
        org.mustjava.core.graph.Precision.float32())
        .withLogger(new ProgressLogger(new PrintStream(OutputStream.nullOutputStream()), false, steps));
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("deleting " + dir, e);
    }
  }
}
