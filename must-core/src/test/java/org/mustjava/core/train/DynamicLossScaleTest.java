package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.graph.Precision;
import org.mustjava.core.train.testing.CheckpointValues;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.Trainers;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Dynamic loss scaling ({@link Precision}, {@link DynamicLossScale}) on the float32 test task, where
 * only the scaler acts: the scale doubles after the configured number of finite steps; a step whose
 * scaled gradients overflow leaves the weights and the optimiser slots as they were, halves the scale
 * and still advances the global step; the scale is checkpointed and a resumed run continues exactly.
 */
class DynamicLossScaleTest {
  /** growth every 3 finite steps, spike (non-finite gradients) on the 5th batch. */
  private static final String CONFIG = String.join("\n",
      "Trainer.steps = 12",
      "Trainer.seed = 4",
      "Trainer.max_loss = 1e38",
      "Trainer.checkpoint_every = 6",
      "Trainer.log_every = 1000",
      "Trainer.precision = @Precision()",
      "Precision.loss_scale = 'dynamic'",
      "Precision.loss_scale_growth_steps = 3",
      "");
  private static final long SPIKE = 4;

  private static TinyConvTask task() {
    return new TinyConvTask(4, true, 9, 1).spikeAuxAt(SPIKE);
  }

  @Test
  void scaleGrowsHalvesAndSkipsTheOverflowingStep() {
    scaleGrowsHalvesAndSkips("");
  }

  @Test
  void withTwoTowersToo() {
    scaleGrowsHalvesAndSkips("Trainer.devices = ['/device:CPU:0', '/device:CPU:1']\n");
  }

  private static void scaleGrowsHalvesAndSkips(String extraConfig) {
    Trainer trainer = Trainers.fromConfig(CONFIG + extraConfig);
    try (Graph g = new Graph()) {
      GraphContext root = trainer.rootContext(g);
      TrainingGraph tg = trainer.buildGraph(task(), root, 0, false);
      ModelVariable kernel = root.variables().stream().filter(v -> v.name().equals("backbone/kernel")).findFirst().orElseThrow();
      ModelVariable slot = root.variables().stream().filter(v -> v.name().equals("optimizer/momentum/backbone/kernel"))
          .findFirst().orElseThrow();
      try (Session s = new Session(g, trainer.sessionConfig())) {
        s.initialize();
        for (Op init : tg.trainInputs.initializers()) s.run(init);
        List<Float> scales = new ArrayList<>();
        for (int step = 1; step <= 9; step++) {
          float[] kernelBefore = values(s, kernel);
          float[] slotBefore = values(s, slot);
          float scale;
          float norm;
          try (Result r = s.runner().addTarget(tg.trainOp).fetch(tg.lossScale).fetch(tg.gradientNorm).run()) {
            scale = ((TFloat32) r.get(0)).getFloat();
            norm = ((TFloat32) r.get(1)).getFloat();
          }
          scales.add(scale);
          boolean skipped = step == SPIKE + 1;
          assertEquals(!skipped, Float.isFinite(norm), "gradient norm at step " + step + ": " + norm);
          if (skipped) {
            assertArrayEquals(kernelBefore, values(s, kernel), "the skipped step leaves the weights");
            assertArrayEquals(slotBefore, values(s, slot), "the skipped step leaves the momentum");
          } else {
            assertFalse(java.util.Arrays.equals(kernelBefore, values(s, kernel)), "step " + step + " updates the weights");
          }
          try (Result r = s.runner().fetch(tg.globalStepValue).run()) {
            assertEquals(step, ((TInt64) r.get(0)).getLong(), "the global step advances on every step");
          }
        }
        // Starts at 2^15; doubles after steps 3 and 6 (3 finite steps each)... but step 5 overflowed:
        // 2^15 x3, 2^16 (step 4), 2^16 at step 5 (overflow: halve, reset), 2^15 x3, 2^16.
        float k = 32768f;
        assertEquals(List.of(k, k, k, 2 * k, 2 * k, k, k, k, 2 * k), scales);
      }
    }
  }

  @Test
  void float32WithoutScalingBuildsNoScaler() {
    Trainer trainer = Trainers.fromConfig("Trainer.steps = 2\n");
    assertFalse(trainer.precision().isMixed());
    assertFalse(trainer.precision().lossScaling());
    try (Graph g = new Graph()) {
      GraphContext root = trainer.rootContext(g);
      TrainingGraph tg = trainer.buildGraph(task(), root, 0, false);
      assertNull(tg.lossScale);
      assertTrue(root.variables().stream().noneMatch(v -> v.name().contains("loss_scale")));
      assertTrue(g.operation("train/gradients_finite") == null);
    }
  }

  @Test
  void precisionRejectsUnknownValues() {
    assertThrows(IllegalArgumentException.class, () -> Precision.of("float64"));
    assertThrows(IllegalArgumentException.class, () -> new Precision("float16", "static", 32768, 2000));
    assertThrows(IllegalArgumentException.class, () -> new Precision("float16", "auto", 0.5, 2000));
    assertTrue(Precision.of("float16").lossScaling(), "float16 scales by default");
    assertFalse(Precision.of("bfloat16").lossScaling(), "bfloat16 does not by default");
  }

  @Test
  void resumedRunContinuesWithTheCheckpointedScale(@TempDir Path dir) throws Exception {
    List<Double> full = train(dir.resolve("full"), 0);
    train(dir.resolve("split"), 8);
    Map<String, float[]> atSix = CheckpointValues.latest(dir.resolve("split/checkpoints"));
    // Six steps: 2^15 for steps 1-3, 2^16 for 4-5 (step 5 overflows and halves), 2^15 after step 6.
    assertArrayEquals(new float[] {32768f}, atSix.get(DynamicLossScale.SCALE));
    assertArrayEquals(new float[] {1f}, atSix.get(DynamicLossScale.GOOD_STEPS));
    List<Double> rest = train(dir.resolve("split"), 0);
    assertEquals(full.subList(6, 12), rest, "losses after resuming at step 6");
    assertEquals(CheckpointValues.latest(dir.resolve("full/checkpoints")).get(DynamicLossScale.SCALE)[0],
        CheckpointValues.latest(dir.resolve("split/checkpoints")).get(DynamicLossScale.SCALE)[0]);
  }

  /** Total losses of a run; interrupted after step {@code stopAfter} when it is > 0. */
  private static List<Double> train(Path dir, long stopAfter) throws Exception {
    List<Double> losses = new ArrayList<>();
    Trainer trainer = Trainers.fromConfig(CONFIG)
        .withLogger(new ProgressLogger(new PrintStream(OutputStream.nullOutputStream()), false, 12))
        .addListener(new StepListener() {
          @Override
          public void onStep(long step, Map<String, Double> l, double lr) {
            losses.add(l.get("total"));
            if (step == stopAfter) throw new IllegalStateException("interrupted");
          }
        });
    try {
      trainer.train(task(), dir, "");
    } catch (IllegalStateException e) {
      if (stopAfter == 0) throw e;
    }
    return losses;
  }

  private static float[] values(Session s, ModelVariable v) {
    try (Result r = s.runner().fetch(v.variable()).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[(int) t.size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }
}
