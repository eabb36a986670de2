package org.mustjava.models.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mustjava.core.gradients.GradientChecker;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Loss values against plain-Java computations, and loss gradients against finite differences. */
class LossesTest {

  @Test
  void hardCrossEntropyWithAndWithoutLabelSmoothing() {
    float[][] logits = {{1, 2, 3}, {1, 1, 1}};
    int[] labels = {2, 0};
    for (double eps : new double[] {0, 0.1}) {
      double expected = 0;
      for (int i = 0; i < 2; i++) {
        double[] logp = logSoftmax(logits[i]);
        for (int c = 0; c < 3; c++) expected -= ((c == labels[i] ? 1 - eps : 0) + eps / 3) * logp[c];
      }
      expected /= 2;
      ClassificationLoss loss = new ClassificationLoss(eps);
      float got = eval(tf -> loss.hard(tf, tf.constant(logits), tf.constant(labels)));
      assertEquals(expected, got, 1e-5, "smoothing " + eps);
    }
  }

  @Test
  void softCrossEntropyEqualsHardForOneHotTargets() {
    float[][] logits = {{0.5f, -1, 2}, {3, 0, 0}};
    ClassificationLoss loss = ClassificationLoss.plain();
    float soft = eval(tf -> loss.soft(tf, tf.constant(logits), tf.constant(new float[][] {{0, 1, 0}, {1, 0, 0}})));
    float hard = eval(tf -> loss.hard(tf, tf.constant(logits), tf.constant(new int[] {1, 0})));
    assertEquals(hard, soft, 1e-6);
    // Soft targets: -sum p log q.
    float[][] p = {{0.2f, 0.3f, 0.5f}, {0.6f, 0.4f, 0f}};
    double expected = 0;
    for (int i = 0; i < 2; i++) {
      double[] logq = logSoftmax(logits[i]);
      for (int c = 0; c < 3; c++) expected -= p[i][c] * logq[c];
    }
    float got = eval(tf -> loss.soft(tf, tf.constant(logits), tf.constant(p)));
    assertEquals(expected / 2, got, 1e-5);
  }

  @Test
  void pixelCrossEntropyIgnoresTheIgnoreLabel() {
    float[][][][] logits = {{{{2, 0}, {0, 5}}, {{1, 1}, {-3, 3}}}};
    int[][][] labels = {{{0, 255}, {1, 255}}};
    double expected = (-logSoftmax(logits[0][0][0])[0] - logSoftmax(logits[0][1][0])[1]) / 2;
    float got = eval(tf -> PixelCrossEntropyLoss.standard().compute(tf, tf.constant(logits), tf.constant(labels)));
    assertEquals(expected, got, 1e-5);
    // Everything ignored: 0, not NaN.
    float none = eval(tf -> PixelCrossEntropyLoss.standard().compute(
        tf, tf.constant(logits), tf.constant(new int[][][] {{{255, 255}, {255, 255}}})));
    assertEquals(0f, none, 0f);
  }

  @Test
  void scaleShiftInvariantLossIsZeroForAffineTargetsAndMatchesLeastSquares() {
    Random r = new Random(3);
    float[][][] pred = new float[2][4][5];
    float[][][] affine = new float[2][4][5];
    float[][][] noisy = new float[2][4][5];
    float[][][] valid = new float[2][4][5];
    for (int b = 0; b < 2; b++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          pred[b][y][x] = r.nextFloat();
          valid[b][y][x] = (x + y + b) % 3 == 0 ? 0 : 1;
          // Invalid pixels hold garbage (NaN) that must not leak into the loss.
          affine[b][y][x] = valid[b][y][x] == 0 ? Float.NaN : (b + 2) * pred[b][y][x] - 0.5f;
          noisy[b][y][x] = valid[b][y][x] == 0 ? Float.NaN : 3 * pred[b][y][x] + 1 + (float) r.nextGaussian() * 0.3f;
        }
      }
    }
    DepthLoss loss = new ScaleShiftInvariantDepthLoss();
    assertEquals(0f, eval(tf -> loss.compute(tf, tf.constant(pred), tf.constant(affine), tf.constant(valid))), 1e-6);
    // Reference: per-image least squares fit (normal equations in double), mean squared residual / 2.
    double expected = 0;
    for (int b = 0; b < 2; b++) {
      double a00 = 0, a01 = 0, a11 = 0, b0 = 0, b1 = 0;
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          if (valid[b][y][x] == 0) continue;
          double p = pred[b][y][x], d = noisy[b][y][x];
          a00 += p * p; a01 += p; a11 += 1; b0 += p * d; b1 += d;
        }
      }
      double det = a00 * a11 - a01 * a01;
      double s = (a11 * b0 - a01 * b1) / det;
      double t = (a00 * b1 - a01 * b0) / det;
      double sse = 0;
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 5; x++) {
          if (valid[b][y][x] == 0) continue;
          double e = s * pred[b][y][x] + t - noisy[b][y][x];
          sse += e * e;
        }
      }
      expected += sse / (2 * a11);
    }
    expected /= 2;
    float got = eval(tf -> loss.compute(tf, tf.constant(pred), tf.constant(noisy), tf.constant(valid)));
    assertEquals(expected, got, 1e-5);
    // An image without valid pixels does not count and gives no NaN.
    float[][][] noneValid = new float[2][4][5];
    noneValid[1] = valid[1];
    float partial = eval(tf -> loss.compute(tf, tf.constant(pred), tf.constant(noisy), tf.constant(noneValid)));
    assertTrue(Float.isFinite(partial) && partial > 0, "loss " + partial);
  }

  @Test
  void metricDepthLosses() {
    float[][][] pred = {{{1, 2}, {4, 8}}};
    float[][][] target = {{{2, 2}, {Float.NaN, 4}}};
    float[][][] valid = {{{1, 1}, {0, 1}}};
    assertEquals((1 + 0 + 4) / 3.0, eval(tf -> MetricDepthLoss.l1().compute(
        tf, tf.constant(pred), tf.constant(target), tf.constant(valid))), 1e-6);
    double[] g = {Math.log(0.5), 0, Math.log(2)};
    double meanSq = (g[0] * g[0] + g[2] * g[2]) / 3;
    double mean = (g[0] + g[2]) / 3;
    assertEquals(meanSq - 0.85 * mean * mean, eval(tf -> MetricDepthLoss.silog(0.85).compute(
        tf, tf.constant(pred), tf.constant(target), tf.constant(valid))), 1e-6);
    // Scale invariance of silog with lambda 1: a global factor does not change the loss.
    float[][][] scaled = {{{10, 20}, {40, 80}}};
    float[][][] exact = {{{1, 2}, {0, 8}}};
    assertEquals(0f, eval(tf -> MetricDepthLoss.silog(1).compute(
        tf, tf.constant(scaled), tf.constant(exact), tf.constant(valid))), 1e-5);
    assertThrows(IllegalArgumentException.class, () -> new MetricDepthLoss("l3", 0.5, 1e-3));
  }

  @Test
  void normalsCosineLoss() {
    float[][][][] target = {{{{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}}};
    float[][][][] pred = {{{{0, 0, 5}, {0, 2, 0}, {7, 0, 0}}}};
    float[][][] valid = {{{1, 1, 0}}};
    // Pixel 0: cos 1 (scale-free), pixel 1: orthogonal, cos 0; pixel 2 (a perfect match) is invalid.
    assertEquals(0.5f, eval(tf -> new NormalsCosineLoss().compute(
        tf, tf.constant(pred), tf.constant(target), tf.constant(valid))), 1e-6);
  }

  @Test
  void lossGradientsMatchFiniteDifferences() {
    Random r = new Random(11);
    float[][][] valid = new float[2][3][4];
    float[][][] depth = new float[2][3][4];
    float[][][][] normals = new float[2][3][4][3];
    int[][][] seg = new int[2][3][4];
    for (int b = 0; b < 2; b++) {
      for (int y = 0; y < 3; y++) {
        for (int x = 0; x < 4; x++) {
          valid[b][y][x] = r.nextFloat() < 0.8f ? 1 : 0;
          depth[b][y][x] = 0.5f + 2 * r.nextFloat();
          double[] n = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
          double len = Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
          for (int k = 0; k < 3; k++) normals[b][y][x][k] = (float) (n[k] / len);
          seg[b][y][x] = r.nextFloat() < 0.2f ? 255 : r.nextInt(3);
        }
      }
    }
    checkGradient("soft CE + smoothing", Shape.of(3, 4), 1f,
        (tf, x) -> new ClassificationLoss(0.1).soft(tf, x, tf.nn.softmax(tf.constant(new float[][] {
            {1, 0, 0, 2}, {0, 0, 0, 0}, {3, 1, 1, 1}}))));
    checkGradient("hard CE", Shape.of(3, 4), 1f,
        (tf, x) -> ClassificationLoss.plain().hard(tf, x, tf.constant(new int[] {0, 3, 2})));
    checkGradient("pixel CE", Shape.of(2, 3, 4, 3), 1f,
        (tf, x) -> PixelCrossEntropyLoss.standard().compute(tf, x, tf.constant(seg)));
    checkGradient("scale-shift invariant depth", Shape.of(2, 3, 4), 1f,
        (tf, x) -> new ScaleShiftInvariantDepthLoss().compute(tf, x, tf.constant(depth), tf.constant(valid)));
    // Positive predictions (silog clamps at min_depth) and away from |p - d| = 0 kinks for L1.
    checkGradient("silog depth", Shape.of(2, 3, 4), 0f,
        (tf, x) -> MetricDepthLoss.silog(0.85).compute(tf, tf.math.add(tf.math.square(x), tf.constant(0.3f)),
            tf.constant(depth), tf.constant(valid)));
    checkGradient("normals cosine", Shape.of(2, 3, 4, 3), 1f,
        (tf, x) -> new NormalsCosineLoss().compute(tf, x, tf.constant(normals), tf.constant(valid)));
  }

  private static void checkGradient(String name, Shape shape, float offset,
      BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> loss) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      Operand<TFloat32> y = loss.apply(tf, x);
      try (TFloat32 x0 = TFloat32.tensorOf(shape)) {
        Random r = new Random(name.hashCode());
        x0.scalars().forEach(e -> e.setFloat(offset + (float) r.nextGaussian()));
        GradientChecker.Result result = GradientChecker.check(g, s, y, x, x0, Map.of(), 1e-3);
        assertTrue(result.maxRelError() < 1e-2, name + ": " + result);
      }
    }
  }

  private static float eval(Function<Ops, Operand<TFloat32>> build) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Operand<TFloat32> out = build.apply(Ops.create(g));
      try (TFloat32 t = (TFloat32) s.runner().fetch(out).run().get(0)) {
        return t.getFloat();
      }
    }
  }

  private static double[] logSoftmax(float[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) max = Math.max(max, v);
    double sum = 0;
    for (float v : z) sum += Math.exp(v - max);
    double[] out = new double[z.length];
    for (int i = 0; i < z.length; i++) out[i] = z[i] - max - Math.log(sum);
    return out;
  }
}
