package org.mustjava.models.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.mustjava.core.gradients.CustomGradients;
import org.mustjava.core.gradients.GradientChecker;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** Unlabelled examples (negative hard label, all-zero probability row) in {@link ClassificationLoss}. */
class ClassificationLossTest {
  private static final float[][] LOGITS = {{1, 2, 3}, {4, -1, 0.5f}, {1, 1, 1}};

  /** Loss value and d loss / d logits at {@link #LOGITS}. */
  private record Evaluated(float loss, float[][] gradient) {}

  @Test
  void negativeHardLabelsAreIgnoredWithAndWithoutSmoothing() {
    for (double eps : new double[] {0, 0.1}) {
      ClassificationLoss loss = new ClassificationLoss(eps);
      Evaluated got = evaluate((tf, x) -> loss.hard(tf, x, tf.constant(new int[] {2, -1, 0})));
      // The mean over the two labelled rows only.
      double expected = (hardReference(LOGITS[0], 2, eps) + hardReference(LOGITS[2], 0, eps)) / 2;
      assertEquals(expected, got.loss(), 1e-5, "smoothing " + eps);
      assertRowIsZero(got.gradient()[1], "smoothing " + eps);
      assertTrue(Math.abs(got.gradient()[0][2]) > 0.01, "labelled rows still get a gradient");
      // A batch without any label: 0 and a zero gradient, no NaN.
      Evaluated none = evaluate((tf, x) -> loss.hard(tf, x, tf.constant(new int[] {-1, -1, -7})));
      assertEquals(0f, none.loss(), 0f, "smoothing " + eps);
      for (float[] row : none.gradient()) assertRowIsZero(row, "smoothing " + eps);
    }
  }

  @Test
  void allZeroProbabilityRowsAreIgnored() {
    float[][] probs = {{0.2f, 0.3f, 0.5f}, {0, 0, 0}, {1, 0, 0}};
    for (double eps : new double[] {0, 0.1}) {
      ClassificationLoss loss = new ClassificationLoss(eps);
      Evaluated got = evaluate((tf, x) -> loss.soft(tf, x, tf.constant(probs)));
      double expected = (softReference(LOGITS[0], probs[0], eps) + softReference(LOGITS[2], probs[2], eps)) / 2;
      assertEquals(expected, got.loss(), 1e-5, "smoothing " + eps);
      assertRowIsZero(got.gradient()[1], "smoothing " + eps);
      Evaluated none = evaluate((tf, x) -> loss.soft(tf, x, tf.constant(new float[3][3])));
      assertEquals(0f, none.loss(), 0f, "smoothing " + eps);
      for (float[] row : none.gradient()) assertRowIsZero(row, "smoothing " + eps);
    }
  }

  @Test
  void gradientWithUnlabelledExamplesMatchesFiniteDifferences() {
    checkGradient("hard, label -1", (tf, x) -> ClassificationLoss.plain().hard(tf, x, tf.constant(new int[] {0, -1, 3})));
    checkGradient("hard smoothed, label -1",
        (tf, x) -> new ClassificationLoss(0.1).hard(tf, x, tf.constant(new int[] {-1, 1, 3})));
    checkGradient("soft, zero row", (tf, x) -> ClassificationLoss.plain().soft(tf, x,
        tf.constant(new float[][] {{0.1f, 0.2f, 0.3f, 0.4f}, {0, 0, 0, 0}, {0, 1, 0, 0}})));
  }

  private static Evaluated evaluate(BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> build) {
    CustomGradients.ensureRegistered();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3, 3)));
      Operand<TFloat32> y = build.apply(tf, x);
      Output<?>[] grad = g.addGradients(y.asOutput(), new Output<?>[] {x.asOutput()});
      try (TFloat32 x0 = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(LOGITS));
          var out = s.runner().feed(x, x0).fetch(y).fetch(grad[0]).run()) {
        float loss = ((TFloat32) out.get(0)).getFloat();
        float[][] gradient = org.tensorflow.ndarray.StdArrays.array2dCopyOf((TFloat32) out.get(1));
        return new Evaluated(loss, gradient);
      }
    }
  }

  private static void assertRowIsZero(float[] row, String message) {
    for (float v : row) assertEquals(0f, v, 0f, message + ": gradient of an unlabelled row");
  }

  private static double hardReference(float[] logits, int label, double eps) {
    double[] target = new double[logits.length];
    for (int c = 0; c < logits.length; c++) target[c] = (c == label ? 1 - eps : 0) + eps / logits.length;
    return crossEntropy(logits, target);
  }

  private static double softReference(float[] logits, float[] probs, double eps) {
    double[] target = new double[logits.length];
    for (int c = 0; c < logits.length; c++) target[c] = probs[c] * (1 - eps) + eps / logits.length;
    return crossEntropy(logits, target);
  }

  private static double crossEntropy(float[] z, double[] target) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : z) max = Math.max(max, v);
    double sum = 0;
    for (float v : z) sum += Math.exp(v - max);
    double ce = 0;
    for (int c = 0; c < z.length; c++) ce -= target[c] * (z[c] - max - Math.log(sum));
    return ce;
  }

  private static void checkGradient(String name, BiFunction<Ops, Operand<TFloat32>, Operand<TFloat32>> loss) {
    Shape shape = Shape.of(3, 4);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(shape));
      Operand<TFloat32> y = loss.apply(tf, x);
      try (TFloat32 x0 = TFloat32.tensorOf(shape)) {
        Random r = new Random(name.hashCode());
        x0.scalars().forEach(e -> e.setFloat((float) r.nextGaussian()));
        Map<Operand<?>, Tensor> none = Map.of();
        GradientChecker.Result result = GradientChecker.check(g, s, y, x, x0, none, 1e-3);
        assertTrue(result.maxRelError() < 1e-2, name + ": " + result);
      }
    }
  }
}
