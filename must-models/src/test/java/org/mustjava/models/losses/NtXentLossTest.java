package org.mustjava.models.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.gradients.CustomGradients;
import org.mustjava.core.gradients.GradientChecker;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** NT-Xent against the formula evaluated in plain Java doubles, and its gradient against finite differences. */
class NtXentLossTest {
  // Three pairs of 2-d projections, deliberately not unit length (the loss normalises them).
  private static final float[][] Z1 = {{1, 0}, {0, 2}, {1, 1}};
  private static final float[][] Z2 = {{2, 0.5f}, {-1, 1}, {0.5f, 0.3f}};

  /** The SimCLR loss by hand: mean over the 6 views of -log softmax of the partner among the other 5. */
  private static double byHand(double temperature) {
    double[][] u = new double[6][];
    for (int i = 0; i < 3; i++) {
      u[i] = unit(Z1[i]);
      u[i + 3] = unit(Z2[i]);
    }
    double total = 0;
    for (int a = 0; a < 6; a++) {
      int partner = (a + 3) % 6;
      double denominator = 0;
      for (int b = 0; b < 6; b++) {
        if (b != a) denominator += Math.exp(dot(u[a], u[b]) / temperature);
      }
      total += -(dot(u[a], u[partner]) / temperature - Math.log(denominator));
    }
    return total / 6;
  }

  private static double[] unit(float[] v) {
    double n = Math.hypot(v[0], v[1]);
    return new double[] {v[0] / n, v[1] / n};
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1];
  }

  @Test
  void equalsTheHandComputedLossOnThreePairs() {
    for (double t : new double[] {0.1, 0.5, 1.0}) {
      double expected = byHand(t);
      NtXentLoss loss = new NtXentLoss(t);
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        try (TFloat32 out = (TFloat32) s.runner().fetch(loss.apply(tf, tf.constant(Z1), tf.constant(Z2))).run().get(0)) {
          assertEquals(expected, out.getFloat(), 1e-4 * Math.max(1, expected), "temperature " + t);
        }
      }
    }
    // A sanity anchor independent of the code above: identical views of orthogonal images at
    // temperature 1 give -log(e / (e + 1 + 1 + 1 + 1)) per view (partner cos 1, four others cos 0).
    float[][] eye = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      try (TFloat32 out = (TFloat32) s.runner().fetch(new NtXentLoss(1.0).apply(tf, tf.constant(eye), tf.constant(eye))).run().get(0)) {
        assertEquals(-Math.log(Math.E / (Math.E + 4)), out.getFloat(), 1e-5);
      }
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    CustomGradients.ensureRegistered();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(6, 2)));
      Operand<TFloat32> z1 = tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {3, 2}));
      Operand<TFloat32> z2 = tf.slice(x, tf.constant(new int[] {3, 0}), tf.constant(new int[] {3, 2}));
      Operand<TFloat32> y = new NtXentLoss(0.5).apply(tf, z1, z2);
      float[][] values = new float[6][];
      for (int i = 0; i < 3; i++) {
        values[i] = Z1[i];
        values[i + 3] = Z2[i];
      }
      try (TFloat32 x0 = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(values))) {
        GradientChecker.Result result = GradientChecker.check(g, s, y, x, x0, Map.of(), 1e-3);
        assertTrue(result.maxRelError() < 1e-2, result.toString());
      }
    }
  }

  @Test
  void rejectsNonPositiveTemperature() {
    assertThrows(IllegalArgumentException.class, () -> new NtXentLoss(0));
  }
}
