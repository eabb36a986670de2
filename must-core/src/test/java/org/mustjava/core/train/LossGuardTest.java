package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointInfo;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.Saver;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.Trainers;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.types.TFloat32;

class LossGuardTest {
  @TempDir Path dir;

  @Test
  void namesStepAndTask() {
    LossGuard guard = new LossGuard(100);
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("classification", 1.0);
    losses.put("depth", Double.NaN);
    LossDivergedException e = assertThrows(LossDivergedException.class, () -> guard.check(17, losses, 1.0, "ckpt 10"));
    assertEquals(17, e.step());
    assertEquals("depth", e.task());
    assertTrue(e.getMessage().contains("step 17") && e.getMessage().contains("'depth'"), e.getMessage());
    losses.put("depth", 250.0);
    e = assertThrows(LossDivergedException.class, () -> guard.check(18, losses, 1.0, "ckpt 10"));
    assertTrue(e.getMessage().contains("above the bound"), e.getMessage());
    losses.put("depth", 2.0);
    e = assertThrows(LossDivergedException.class, () -> guard.check(19, losses, Double.POSITIVE_INFINITY, "ckpt 10"));
    assertEquals("gradient_norm", e.task());
    guard.check(20, losses, 3.0, "ckpt 10"); // fine
  }

  @Test
  void infiniteTaskLossStopsBeforeAnyCheckpoint() {
    LossDivergedException e = assertThrows(LossDivergedException.class, () -> quiet(Trainers.fromConfig(
        "Trainer.steps = 10\nTrainer.checkpoint_every = 2")).train(new TinyConvTask(4, false, 1, 1).explodeAux(), dir, ""));
    assertEquals(1, e.step());
    assertEquals("aux", e.task());
    assertTrue(new CheckpointManager(dir.resolve("checkpoints"), 1).latest().isEmpty());
  }

  /** A far too high learning rate diverges; the checkpoints written before are finite and kept. */
  @Test
  void divergenceKeepsTheLastGoodCheckpoint() throws Exception {
    List<Long> checkpointsSeen = new ArrayList<>();
    Trainer trainer = quiet(Trainers.fromConfig(String.join("\n",
        "Trainer.steps = 200",
        "Trainer.checkpoint_every = 1",
        "Trainer.keep_checkpoints = 2",
        "Trainer.max_loss = 1e4",
        "Trainer.learning_rate = @ConstantLearningRate()",
        "ConstantLearningRate.rate = 3.0")));
    trainer.addListener(new StepListener() {
      @Override
      public void onCheckpoint(long step) {
        checkpointsSeen.add(step);
      }
    });
    TinyConvTask task = new TinyConvTask(4, false, 1, 1);
    LossDivergedException e = assertThrows(LossDivergedException.class, () -> trainer.train(task, dir, ""));
    assertTrue(e.step() > 1 && e.step() < 200, "diverged at " + e.step());
    CheckpointInfo latest = new CheckpointManager(dir.resolve("checkpoints"), 2).latest().orElseThrow();
    assertEquals(e.step() - 1, latest.step(), "every step before the bad one was checkpointed, the bad one not");
    assertEquals(latest.step(), checkpointsSeen.get(checkpointsSeen.size() - 1));
    assertTrue(e.getMessage().contains("last good checkpoint is step " + latest.step()), e.getMessage());
    assertAllFinite(task, latest);
  }

  private static Trainer quiet(Trainer t) {
    return t.withLogger(new ProgressLogger(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false, 1));
  }

  private static void assertAllFinite(TinyConvTask task, CheckpointInfo ckpt) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      task.buildModel(ctx, Map.of("image", ctx.tf().placeholder(TFloat32.class)), Mode.PREDICT);
      List<CheckpointVariable> vars = new ArrayList<>();
      for (ModelVariable v : ctx.variables()) vars.add(CheckpointVariable.of(v));
      new Saver(ctx.scope("saver").tf(), vars).restore(initialized(s), ckpt.prefix());
      for (ModelVariable v : ctx.variables()) {
        try (Result r = s.runner().fetch(v.variable()).run()) {
          var data = ((TFloat32) r.get(0)).asRawTensor().data().asFloats();
          for (long i = 0; i < data.size(); i++) assertTrue(Float.isFinite(data.getFloat(i)), v.name() + " is finite");
        }
      }
    }
  }

  private static Session initialized(Session s) {
    s.initialize();
    return s;
  }
}
