package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.testing.TinyConvTask;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Data parallelism: two towers on two logical CPU devices, each on half of the batch, with averaged
 * gradients, must update the variables as one tower on the whole batch does.
 *
 * <p>The model has no BatchNorm: per-tower BN normalises each half with its own statistics, which
 * legitimately differs from whole-batch statistics (as in TF's per-replica BN). The losses are
 * means over the batch, so the mean of the two half-batch gradients equals the whole-batch
 * gradient; only the summation order differs, hence the small tolerance.
 */
class MultiDeviceTest {
  @Test
  void twoTowersUpdateLikeOneTowerOnTheSameBatch() {
    Map<String, float[]> single = train(List.of(), 3);
    Map<String, float[]> towers = train(List.of("/device:CPU:0", "/device:CPU:1"), 3);
    assertEquals(single.keySet(), towers.keySet());
    int compared = 0;
    for (String name : single.keySet()) {
      float[] a = single.get(name);
      float[] b = towers.get(name);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 2e-5 + 2e-5 * Math.abs(a[i]), name + "[" + i + "]");
        compared++;
      }
    }
    assertTrue(compared > 200, "compared " + compared + " values");
    // The comparison is not vacuous: training moved the weights.
    Map<String, float[]> initial = train(List.of(), 0);
    double moved = 0;
    for (String name : initial.keySet()) {
      if (name.startsWith("optimizer/")) continue;
      for (int i = 0; i < initial.get(name).length; i++) moved = Math.max(moved, Math.abs(initial.get(name)[i] - single.get(name)[i]));
    }
    assertTrue(moved > 1e-3, "weights moved by at most " + moved);
  }

  /** Runs {@code steps} train steps and returns every trainable variable and momentum slot. */
  private static Map<String, float[]> train(List<String> devices, int steps) {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 9);
      TrainingGraph tg = TrainingGraph.builder(new TinyConvTask(8, false, 4, 1), root)
          .optimizer(new MomentumOptimizer(0.9, false))
          .schedule(new ConstantLearningRate(0.1))
          .weightDecay(1e-3)
          .devices(devices)
          .totalSteps(Math.max(1, steps))
          .build();
      if (devices.size() == 2) {
        boolean onSecond = false;
        for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
          GraphOperation op = it.next();
          if (op.type().equals("Conv2D") && op.device().endsWith("CPU:1")) onSecond = true;
        }
        assertTrue(onSecond, "the second tower's convolution is placed on /device:CPU:1");
      }
      try (Session s = new Session(g, SessionConfigs.create(2, 1, 1))) {
        s.initialize();
        for (Op init : tg.trainInputs.initializers()) s.runner().addTarget(init).run();
        for (int i = 0; i < steps; i++) s.runner().addTarget(tg.trainOp).run();
        Map<String, float[]> out = new LinkedHashMap<>();
        List<ModelVariable> vars = new ArrayList<>(root.variables());
        for (ModelVariable v : vars) {
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
  }
}
