package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.IteratorState;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.train.testing.StepIndexDataset;
import org.mustjava.core.train.testing.Trainers;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The O(1) resume, shown on its mechanism rather than timed (machines are noisy; tools/benchmark
 * resume times it): a run resumed at step N with the checkpoint's input iterator state builds its
 * input with nothing to skip, whatever N, and its first step reads element N, the one after the
 * last element the checkpointed run consumed. Without the state the same resume skips N elements.
 */
class ResumeWithoutReplayTest {
  @TempDir Path dir;

  /**
   * Reads batch indices 0, 1, 2, ... through an iterator it hands to the trainer; its loss is the
   * index of the batch the step read, so the trainer's losses show which element each step got. It
   * records the start step of every {@link #buildInputs} call: the elements the input skips.
   */
  static final class IndexTask implements Task {
    final List<Long> startSteps = new ArrayList<>();

    @Override
    public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
      startSteps.add(startStep);
      StepIndexDataset ds = new StepIndexDataset(ctx.scope("train_input").tf(), "train", startStep, Long.MAX_VALUE);
      Ops tf = ctx.scope("train_input").tf();
      Operand<TFloat32> index = tf.reshape(tf.dtypes.cast(ds.index, TFloat32.class), tf.constant(new long[] {1}));
      return new TaskInputs(Map.of("index", index), List.of(ds.initializer), 1, ds.iterator);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode) {
      GraphContext c = ctx.scope("model");
      Ops tf = c.tf();
      Operand<TFloat32> w = c.variable("w", Shape.of(1), Initializers.zeros(), true, false);
      Operand<TFloat32> index = (Operand<TFloat32>) inputs.get("index");
      // The index itself, plus a term that gives the variable a (zero) gradient.
      Operand<TFloat32> loss = tf.math.add(tf.sum(index, tf.constant(0)), tf.sum(tf.math.mul(w, tf.constant(0f)), tf.constant(0)));
      return new ModelOutputs(Map.of("index", loss), Map.of());
    }
  }

  /** What a resume from step {@code n} to {@code n + 1} did. */
  record Resume(List<Long> startSteps, double firstLoss) {}

  @Test
  void aResumeReadsNoElementTwiceWhateverTheStep() throws IOException {
    for (long n : new long[] {3, 300}) {
      Path run = dir.resolve("run-" + n);
      IndexTask first = new IndexTask();
      List<Double> firstLosses = train(first, run, n);
      assertEquals(n - 1, firstLosses.get(firstLosses.size() - 1), 0, "the last step read element N - 1");
      Path checkpoint = run.resolve("checkpoints").resolve("ckpt-" + n);
      assertTrue(IteratorState.exists(checkpoint), checkpoint.toString());

      Path copy = dir.resolve("copy-" + n);
      copyTree(run, copy);
      Resume restored = resume(run, n);
      assertEquals(List.of(0L), restored.startSteps(), "with the iterator state the input skips nothing (N = " + n + ")");
      assertEquals(n, restored.firstLoss(), 0, "the first resumed step reads element N directly");

      // Without the state the same resume replays N elements through the input to get there.
      try (var files = Files.list(copy.resolve("checkpoints").resolve("ckpt-" + n))) {
        for (Path p : files.toList()) {
          if (p.getFileName().toString().startsWith(IteratorState.BUNDLE_NAME + ".")) Files.delete(p);
        }
      }
      Resume skipped = resume(copy, n);
      assertEquals(List.of(n), skipped.startSteps());
      assertEquals(n, skipped.firstLoss(), 0);
    }
  }

  private static Resume resume(Path run, long n) throws IOException {
    IndexTask task = new IndexTask();
    List<Double> losses = train(task, run, n + 1);
    assertEquals(1, losses.size(), "one resumed step");
    return new Resume(task.startSteps, losses.get(0));
  }

  /** Trains {@code task} in {@code run} to {@code steps}; returns the losses of the steps run. */
  private static List<Double> train(IndexTask task, Path run, long steps) throws IOException {
    List<Double> losses = new ArrayList<>();
    Trainer trainer = Trainers.fromConfig("Trainer.steps = " + steps + "\nTrainer.checkpoint_every = 100000\n"
            + "Trainer.log_every = 100000\nTrainer.summary_every = 100000\n")
        .withLogger(new ProgressLogger(new PrintStream(OutputStream.nullOutputStream()), false, steps))
        .addListener(new StepListener() {
          @Override
          public void onStep(long step, Map<String, Double> l, double lr) {
            losses.add(l.get("index"));
          }
        });
    trainer.train(task, run, "");
    return losses;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
  }
}
