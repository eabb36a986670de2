package org.mustjava.core.train.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.ConstantLearningRate;
import org.mustjava.core.train.MomentumOptimizer;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.StepListener;
import org.mustjava.core.train.Trainer;
import org.mustjava.core.train.TrainingGraph;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;

/**
 * {@code tools/benchmark loop}: the cost of the training loop's bookkeeping (fetching and checking
 * the losses every step, logging, scalar and image summaries, checkpoints) relative to bare
 * {@code Session.run} of the same train op.
 *
 * <p>Both variants build the same graph with the same {@link Trainer} and run the same steps; the
 * bare variant calls {@code session.runner().addTarget(trainOp).run()} in a Java loop and nothing
 * else. Times exclude graph building and the first {@code warmup} steps. Repetitions alternate
 * between the two variants, and the median of each is reported, because the machine is shared.
 */
public final class LoopBenchmark {
  /** The flags (their names are the {@link Trainer} parameters they set, where there is one). */
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--steps", description = "Training steps per run.")
    int steps = 600;

    @Parameter(names = "--warmup", description = "Steps not timed at the start of each run.")
    int warmup = 50;

    @Parameter(names = "--batch", description = "Batch size.")
    int batch = 16;

    @Parameter(names = "--size", description = "Image height and width in pixels.")
    int size = 64;

    @Parameter(names = "--width", description = "Channels of the benchmark model.")
    int width = 32;

    @Parameter(names = "--reps", description = "Repetitions of each variant (the median is reported).")
    int reps = 3;

    @Parameter(names = "--log_every", description = "Trainer.log_every of the loop variant.")
    int logEvery = 50;

    @Parameter(names = "--summary_every", description = "Trainer.summary_every of the loop variant.")
    int summaryEvery = 50;

    @Parameter(names = "--image_summary_every", description = "Trainer.image_summary_every of the loop variant.")
    int imageSummaryEvery = 200;

    @Parameter(names = "--checkpoint_every", description = "Trainer.checkpoint_every of the loop variant.")
    int checkpointEvery = 200;
  }

  private LoopBenchmark() {}

  public static void main(String[] args) throws Exception {
    Flags opt = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark loop",
        "The cost of the training loop's bookkeeping relative to bare Session.run of the same train op.",
        "0 success, 1 failure while running, 2 usage error", opt);
    OptionalInt exit = commandLine.parse(args, System.out, System.err);
    if (exit.isPresent()) System.exit(exit.getAsInt());
    if (opt.steps < 1 || opt.warmup < 0 || opt.warmup >= opt.steps || opt.reps < 1 || opt.batch < 1 || opt.size < 8
        || opt.width < 1) {
      System.exit(commandLine.usageError("--steps >= 1, 0 <= --warmup < --steps, --reps, --batch, --width >= 1, --size >= 8",
          System.err));
    }
    int steps = opt.steps;
    int warmup = opt.warmup;
    int reps = opt.reps;
    BenchmarkTask task = new BenchmarkTask(opt.batch, opt.size, opt.width);
    List<Double> bare = new ArrayList<>();
    List<Double> loop = new ArrayList<>();
    List<Double> inRun = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      bare.add(bare(task, trainer(opt, steps), steps, warmup));
      double[] l = loop(task, opt, steps, warmup);
      loop.add(l[0]);
      inRun.add(l[1]);
      System.err.printf(Locale.ROOT, "rep %d: bare %.2f ms/step, loop %.2f ms/step, bookkeeping within the loop run %.1f%%%n",
          r + 1, bare.get(r), loop.get(r), 100 * l[1]);
    }
    double b = median(bare);
    double l = median(loop);
    PrintStream out = System.out;
    out.printf(Locale.ROOT, "| variant | ms/step (median of %d) | images/s |%n|---|---|---|%n", reps);
    out.printf(Locale.ROOT, "| bare Session.run(train_op) | %.2f | %.1f |%n", b, 1000.0 * opt.batch / b);
    out.printf(Locale.ROOT, "| Trainer loop (log %d, scalars %d, images %d, checkpoints %d steps) | %.2f | %.1f |%n",
        opt.logEvery, opt.summaryEvery, opt.imageSummaryEvery, opt.checkpointEvery, l, 1000.0 * opt.batch / l);
    out.printf(Locale.ROOT, "%noverhead of the loop vs bare runs: %.1f%% (%d steps after %d warm-up, batch %d, %dpx, width %d)%n",
        100 * (l / b - 1), steps - warmup, warmup, opt.batch, opt.size, opt.width);
    out.printf(Locale.ROOT, "bookkeeping time within the loop runs (loop wall time / time in the train step's Session.run - 1): %.1f%% (median)%n",
        100 * median(inRun));
  }

  private static Trainer trainer(Flags opt, long steps) {
    return new Trainer(steps, new MomentumOptimizer(0.9, false), new ConstantLearningRate(0.01), 1e-4, 0,
        opt.logEvery, opt.summaryEvery, opt.imageSummaryEvery, opt.checkpointEvery, 2, 0, 0, 1e9,
        List.of(), 1, java.util.Optional.empty(), "", true, false, 0, 0, org.mustjava.core.graph.Precision.float32());
  }

  /** ms per step of the bare loop. */
  private static double bare(BenchmarkTask task, Trainer trainer, int steps, int warmup) {
    try (Graph g = new Graph()) {
      TrainingGraph tg = trainer.buildGraph(task, GraphContext.create(g, 1), 0, false);
      try (Session s = new Session(g, trainer.sessionConfig())) {
        s.initialize();
        for (Op init : tg.trainInputs.initializers()) s.runner().addTarget(init).run();
        for (int i = 0; i < warmup; i++) s.runner().addTarget(tg.trainOp).run();
        long t0 = System.nanoTime();
        for (int i = warmup; i < steps; i++) s.runner().addTarget(tg.trainOp).run();
        return (System.nanoTime() - t0) / 1e6 / (steps - warmup);
      }
    }
  }

  /**
   * ms per step of the full Trainer loop, from step {@code warmup} to the final checkpoint, and the
   * loop's own bookkeeping share (loop wall time over time in the train step's run, minus 1).
   */
  private static double[] loop(BenchmarkTask task, Flags opt, int steps, int warmup) throws Exception {
    Path dir = Files.createTempDirectory("loop-benchmark");
    try {
      long[] t0 = new long[1];
      long[] t1 = new long[1];
      Trainer trainer = trainer(opt, steps)
          .withLogger(new ProgressLogger(new PrintStream(System.err, true), false, steps))
          .addListener(new StepListener() {
            @Override
            public void onStep(long step, Map<String, Double> losses, double lr) {
              if (step == warmup) t0[0] = System.nanoTime();
            }

            @Override
            public void onCheckpoint(long step) {
              // The final checkpoint ends the loop; session and graph teardown are not timed.
              if (step == steps) t1[0] = System.nanoTime();
            }
          });
      var result = trainer.train(task, dir, "# benchmark");
      double msPerStep = (t1[0] - t0[0]) / 1e6 / (steps - warmup);
      return new double[] {msPerStep, result.loopSeconds() / result.trainStepSeconds() - 1};
    } finally {
      try (var walk = Files.walk(dir)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  private static double median(List<Double> xs) {
    double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
