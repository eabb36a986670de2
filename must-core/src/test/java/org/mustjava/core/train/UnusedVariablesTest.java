package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.Trainers;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Trainable variables the losses send no gradient to (never read, read through StopGradient, read
 * only through their size) are left out of the update with a warning, instead of failing in
 * {@code addGradients} or handing the optimiser a gradient that does not exist.
 */
class UnusedVariablesTest {
  @TempDir Path dir;

  @Test
  void unusedVariablesAreNeitherTrainedNorDecayed() {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 5);
      TrainingGraph tg = TrainingGraph.builder(new TinyConvTask(4, false, 2, 1).withUnusedVariables(), root)
          .schedule(new ConstantLearningRate(0.1))
          .weightDecay(0.1) // large: a decayed variable would visibly shrink
          .totalSteps(3)
          .build();
      assertEquals(Set.copyOf(TinyConvTask.UNUSED_VARIABLES), Set.copyOf(tg.unusedTrainables));
      String warning = tg.unusedTrainablesWarning();
      for (String name : TinyConvTask.UNUSED_VARIABLES) assertTrue(warning.contains(name), warning);
      assertTrue(warning.contains("FPN.max_level"), warning);

      try (Session s = new Session(g)) {
        s.initialize();
        for (Op init : tg.trainInputs.initializers()) s.runner().addTarget(init).run();
        Map<String, float[]> before = values(s, root);
        for (int i = 0; i < 3; i++) s.runner().addTarget(tg.trainOp).run();
        Map<String, float[]> after = values(s, root);
        for (String name : TinyConvTask.UNUSED_VARIABLES) {
          assertArrayEquals(before.get(name), after.get(name), name + " must stay as initialised");
        }
        for (String name : new String[] {"backbone/kernel", "heads/regression/kernel", "heads/aux/bias"}) {
          assertFalse(java.util.Arrays.equals(before.get(name), after.get(name)), name + " is trained");
        }
      }
    }
  }

  @Test
  void theTrainerLogsTheUnusedVariablesAndTrains() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Trainer trainer = Trainers.fromConfig("Trainer.steps = 4\nTrainer.weight_decay = 1e-4\nTrainer.log_every = 2\n")
        .withLogger(new ProgressLogger(new PrintStream(out, true, StandardCharsets.UTF_8), false, 4));
    TrainResult r = trainer.train(new TinyConvTask(4, false, 2, 1).withUnusedVariables(), dir, "");
    assertEquals(4, r.finalStep());
    String log = out.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("WARNING: 4 trainable variables get no gradient"), log);
    assertTrue(log.contains("extra/shape_only/kernel"), log);
  }

  private static Map<String, float[]> values(Session s, GraphContext root) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (ModelVariable v : root.trainableVariables()) {
      try (Result r = s.runner().fetch(v.variable()).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        float[] values = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(values);
        out.put(v.name(), values);
      }
    }
    return out;
  }
}
