package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Two updates of one scalar with gradient 2w, against the formulas by hand. */
class OptimizerTest {
  @Test
  void momentumAndNesterov() {
    // w0 = 1, lr = 0.1, m = 0.9, g = 2w.
    // plain: a1 = 2, w1 = 0.8; a2 = 0.9*2 + 1.6 = 3.4, w2 = 0.8 - 0.34 = 0.46
    assertEquals(0.46, run(new MomentumOptimizer(0.9, false), 2), 1e-6);
    // nesterov: a1 = 2, w1 = 1 - 0.1*(2 + 0.9*2) = 0.62; a2 = 1.8 + 1.24 = 3.04,
    // w2 = 0.62 - 0.1*(1.24 + 0.9*3.04) = 0.62 - 0.3976 = 0.2224
    assertEquals(0.2224, run(new MomentumOptimizer(0.9, true), 2), 1e-6);
  }

  @Test
  void adam() {
    double b1 = 0.9, b2 = 0.999, eps = 1e-7, lr = 0.1, w = 1, m = 0, v = 0;
    for (int t = 1; t <= 3; t++) {
      double g = 2 * w;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      double lrT = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
      w -= lrT * m / (Math.sqrt(v) + eps);
    }
    assertEquals(w, run(new AdamOptimizer(b1, b2, eps), 3), 1e-5);
  }

  @Test
  void slotsAreNonTrainableAndNamedAfterTheVariable() {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 1);
      ModelVariable w = root.scope("backbone").getOrCreate("kernel", Shape.of(2), Initializers.ones(), true, true);
      new AdamOptimizer(0.9, 0.999, 1e-7).apply(root, List.of(w), List.of(root.tf().constant(new float[] {1, 1})), root.tf().constant(0.1f));
      List<String> names = root.variables().stream().map(ModelVariable::name).toList();
      assertTrue(names.containsAll(List.of("optimizer/adam_m/backbone/kernel", "optimizer/adam_v/backbone/kernel",
          "optimizer/adam/beta1_power", "optimizer/adam/beta2_power")), names.toString());
      assertEquals(List.of("backbone/kernel"), root.trainableVariables().stream().map(ModelVariable::name).toList());
      assertFalse(root.variables().stream().anyMatch(v -> v.name().startsWith("optimizer/") && v.weightDecay()));
    }
  }

  private static double run(Optimizer opt, int steps) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext root = GraphContext.create(g, 1);
      ModelVariable w = root.getOrCreate("w", Shape.scalar(), Initializers.ones(), true, false);
      Ops tf = root.tf();
      var grad = tf.math.mul(tf.constant(2f), tf.identity(w.variable()));
      Op update = opt.apply(root, List.of(w), List.of(grad), tf.constant(0.1f));
      s.initialize();
      for (int i = 0; i < steps; i++) s.runner().addTarget(update).run();
      try (Result r = s.runner().fetch(w.variable()).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }
}
