package org.mustjava.core.gradients;

import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * Checks a graph gradient against central finite differences.
 *
 * <p>The output {@code y} is reduced to a scalar by a fixed pseudo-random projection
 * {@code L = sum(r * y)} (in float64), so one {@code addGradients} call gives the analytic
 * {@code dL/dx}, compared element by element with {@code (L(x + d e_i) - L(x - d e_i)) / 2d}.
 * That checks the full Jacobian-vector product for a random direction, enough to catch a wrong
 * gradient with high probability, at the cost of 2 runs per input element: keep inputs small.
 */
public final class GradientChecker {
  private GradientChecker() {}

  /**
   * @param analytic dL/dx from the graph
   * @param numeric dL/dx from central differences
   * @param maxAbsError max_i |analytic_i - numeric_i|
   * @param maxRelError maxAbsError / (max_i |numeric_i| + 1e-6): the error relative to the scale
   *     of the gradient
   */
  public record Result(float[] analytic, float[] numeric, double maxAbsError, double maxRelError) {
    @Override
    public String toString() {
      return String.format("max abs error %.3g, max relative error %.3g over %d elements",
          maxAbsError, maxRelError, analytic.length);
    }
  }

  /**
   * @param graph the graph holding {@code y} and {@code x}
   * @param session a session on it, variables initialised
   * @param y the output to differentiate (any shape, float32)
   * @param x a float32 placeholder {@code y} depends on
   * @param x0 the point at which to check
   * @param otherFeeds further placeholder values (e.g. labels), may be empty
   * @param delta finite-difference step (float32 graphs: 1e-3 is a good start)
   */
  public static Result check(Graph graph, Session session, Operand<TFloat32> y, Operand<TFloat32> x,
      TFloat32 x0, Map<Operand<?>, Tensor> otherFeeds, double delta) {
    CustomGradients.ensureRegistered();
    Ops tf = Ops.create(graph).withSubScope("gradient_checker");
    Shape yShape;
    try (Tensor yValue = feed(session.runner(), x, x0, otherFeeds).fetch(y).run().get(0)) {
      yShape = yValue.shape();
    }
    double[] r = new double[(int) yShape.size()];
    Random random = new Random(42);
    for (int i = 0; i < r.length; i++) r[i] = random.nextGaussian();
    Operand<TFloat64> projection = tf.reshape(tf.constant(r), tf.constant(yShape));
    Operand<TFloat64> loss = tf.reduceSum(
        tf.math.mul(tf.dtypes.cast(y, TFloat64.class), projection),
        tf.range(tf.constant(0), tf.rank(y), tf.constant(1)));
    Output<?>[] grads = graph.addGradients(loss.asOutput(), new Output<?>[] {x.asOutput()});

    int n = (int) x0.shape().size();
    float[] point = new float[n];
    int[] k = {0};
    x0.scalars().forEach(s -> point[k[0]++] = s.getFloat());
    float[] analytic = new float[n];
    try (TFloat32 g = (TFloat32) feed(session.runner(), x, x0, otherFeeds).fetch(grads[0]).run().get(0)) {
      k[0] = 0;
      g.scalars().forEach(s -> analytic[k[0]++] = s.getFloat());
    }
    float[] numeric = new float[n];
    for (int i = 0; i < n; i++) {
      float original = point[i];
      point[i] = (float) (original + delta);
      double plus = evaluate(session, loss, x, x0.shape(), point, otherFeeds);
      point[i] = (float) (original - delta);
      double minus = evaluate(session, loss, x, x0.shape(), point, otherFeeds);
      point[i] = original;
      numeric[i] = (float) ((plus - minus) / (2 * delta));
    }
    double maxAbs = 0;
    double scale = 0;
    for (int i = 0; i < n; i++) {
      maxAbs = Math.max(maxAbs, Math.abs(analytic[i] - numeric[i]));
      scale = Math.max(scale, Math.abs(numeric[i]));
    }
    return new Result(analytic, numeric, maxAbs, maxAbs / (scale + 1e-6));
  }

  private static double evaluate(Session session, Operand<TFloat64> loss, Operand<TFloat32> x,
      Shape shape, float[] point, Map<Operand<?>, Tensor> otherFeeds) {
    try (TFloat32 value = TFloat32.tensorOf(shape)) {
      int[] k = {0};
      value.scalars().forEach(s -> s.setFloat(point[k[0]++]));
      try (TFloat64 l = (TFloat64) feed(session.runner(), x, value, otherFeeds).fetch(loss).run().get(0)) {
        return l.getDouble();
      }
    }
  }

  private static Session.Runner feed(Session.Runner runner, Operand<TFloat32> x, TFloat32 value,
      Map<Operand<?>, Tensor> otherFeeds) {
    runner.feed(x, value);
    otherFeeds.forEach(runner::feed);
    return runner;
  }
}
