package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/** LARS updates of a two-element variable against the update rule in plain Java doubles. */
class LarsOptimizerTest {
  private static final double LR = 0.5;
  private static final double M = 0.9;
  private static final double ETA = 0.01;

  /** g = w + (1, -1): not proportional to w, so the trust ratio changes from step to step. */
  private static double[] gradient(double[] w) {
    return new double[] {w[0] + 1, w[1] - 1};
  }

  private static double[] expected(boolean adapt, boolean nesterov, int steps) {
    double[] w = {3, 4};
    double[] a = {0, 0};
    for (int t = 0; t < steps; t++) {
      double[] g = gradient(w);
      double wn = Math.hypot(w[0], w[1]);
      double gn = Math.hypot(g[0], g[1]);
      double scaled = LR * (adapt ? ETA * wn / gn : 1);
      for (int i = 0; i < 2; i++) {
        a[i] = M * a[i] + scaled * g[i];
        w[i] -= nesterov ? M * a[i] + scaled * g[i] : a[i];
      }
    }
    return w;
  }

  @Test
  void decayedVariablesTakeTrustScaledMomentumSteps() {
    assertArrayEquals(expected(true, false, 3), run(new LarsOptimizer(M, ETA, false, true), true, 3), 1e-5);
    assertArrayEquals(expected(true, true, 3), run(new LarsOptimizer(M, ETA, true, true), true, 3), 1e-5);
  }

  @Test
  void undecayedVariablesAreExcludedFromAdaptationUnlessAsked() {
    double[] plain = expected(false, false, 3);
    assertArrayEquals(plain, run(new LarsOptimizer(M, ETA, false, true), false, 3), 1e-5);
    assertArrayEquals(plain, run(new MomentumOptimizer(M, false), false, 3), 1e-5);
    assertArrayEquals(expected(true, false, 3), run(new LarsOptimizer(M, ETA, false, false), false, 3), 1e-5);
  }

  @Test
  void zeroGradientLeavesTheVariableAlone() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext root = GraphContext.create(g, 1);
      ModelVariable w = root.getOrCreate("w", Shape.of(2), Initializers.ones(), true, true);
      Op update = new LarsOptimizer(M, ETA, false, true).apply(root, List.of(w),
          List.of(root.tf().constant(new float[] {0, 0})), root.tf().constant(0.5f));
      s.initialize();
      s.runner().addTarget(update).run();
      assertArrayEquals(new double[] {1, 1}, read(s, w), 0);
    }
  }

  @Test
  void rejectsBadSettings() {
    assertThrows(IllegalArgumentException.class, () -> new LarsOptimizer(1.0, ETA, false, true));
    assertThrows(IllegalArgumentException.class, () -> new LarsOptimizer(M, 0, false, true));
  }

  private static double[] run(Optimizer opt, boolean decayed, int steps) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext root = GraphContext.create(g, 1);
      ModelVariable w = root.getOrCreate("w", Shape.of(2), (tf, shape, seed) -> tf.constant(new float[] {3, 4}), true, decayed);
      Ops tf = root.tf();
      var grad = tf.math.add(tf.identity(w.variable()), tf.constant(new float[] {1, -1}));
      Op update = opt.apply(root, List.of(w), List.of(grad), tf.constant((float) LR));
      s.initialize();
      for (int i = 0; i < steps; i++) s.runner().addTarget(update).run();
      return read(s, w);
    }
  }

  private static double[] read(Session s, ModelVariable w) {
    try (Result r = s.runner().fetch(w.variable()).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      return new double[] {t.getFloat(0), t.getFloat(1)};
    }
  }
}
