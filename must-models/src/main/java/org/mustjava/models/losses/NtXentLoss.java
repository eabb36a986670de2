package org.mustjava.models.losses;

import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.types.TFloat32;

/**
 * SimCLR's contrastive loss (NT-Xent, Chen et al. 2020): the normalised-temperature cross-entropy
 * of every view against its partner among all 2N - 1 other views of the batch.
 *
 * <p>With projections {@code z1[i]}, {@code z2[i]} of two views of image i, each L2-normalised,
 * {@code u = concat(z1, z2)} (2N rows) and {@code s(a, b) = u[a] . u[b] / temperature}:
 * {@code loss = 1/(2N) sum_a -log(exp(s(a, p(a))) / sum_{b != a} exp(s(a, b)))}, where {@code
 * p(a)} is the other view of the same image. Both directions count, as in SimCLR's reference code
 * (its {@code logits_ab}/{@code logits_aa} split computes the same sum). Negatives are the other
 * views in the batch this loss sees: with several device towers each tower's slice (SimCLR gathers
 * across replicas; TF Java has no cross-tower gather here, see docs/design.md section 8).
 */
public final class NtXentLoss {
  /** The self-similarity is pushed this far down so it drops out of the softmax. */
  private static final float LARGE = 1e9f;

  private final double temperature;

  /** @param temperature tau: SimCLR uses 0.1 at large batch on ImageNet, 0.5 on CIFAR. */
  @Configurable("NtXentLoss")
  public NtXentLoss(@Default("0.1") double temperature) {
    if (!(temperature > 0)) throw new IllegalArgumentException("NtXentLoss.temperature must be > 0, got " + temperature);
    this.temperature = temperature;
  }

  public double temperature() {
    return temperature;
  }

  /**
   * The mean loss over the 2N views.
   *
   * @param z1 projections of the first views {@code [N, D]}
   * @param z2 projections of the second views {@code [N, D]}, row i the same image as z1's row i
   */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2) {
    return tf.math.mean(perView(tf, z1, z2), tf.constant(0));
  }

  /**
   * The cross-entropy of each of the 2N views, {@code [2N]} (rows of z1 first).
   *
   * <p>N must be static: the self-similarity mask and the partner labels are constants built in
   * Java, because TensorFlow's C++ gradient registry has no gradients for the integer ops (Range,
   * FloorMod, OneHot) a mask built from a run-time size would put on the gradient path.
   */
  public Operand<TFloat32> perView(Ops tf, Operand<TFloat32> z1, Operand<TFloat32> z2) {
    long rows = z1.shape().numDimensions() == 2 ? z1.shape().get(0) : -1;
    if (rows < 1 || !z1.shape().equals(z2.shape())) {
      throw new IllegalArgumentException("NtXentLoss needs two [N, D] projections of the same static shape, got "
          + z1.shape() + " and " + z2.shape());
    }
    int n = Math.toIntExact(rows);
    float[][] self = new float[2 * n][2 * n];
    int[] partner = new int[2 * n];
    for (int a = 0; a < 2 * n; a++) {
      self[a][a] = LARGE;
      partner[a] = (a + n) % (2 * n); // row a's positive: a + N for first views, a - N for second
    }
    Operand<TFloat32> u = l2Normalize(tf, tf.concat(List.of(z1, z2), tf.constant(0)));
    Operand<TFloat32> similarity =
        tf.math.div(tf.linalg.matMul(u, u, org.tensorflow.op.linalg.MatMul.transposeB(true)),
            tf.constant((float) temperature));
    Operand<TFloat32> logits = tf.math.sub(similarity, tf.constant(self));
    return tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, tf.constant(partner)).loss();
  }

  private static Operand<TFloat32> l2Normalize(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> squared = tf.reduceSum(tf.math.square(x), tf.constant(1), ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(squared, tf.constant(1e-12f))));
  }

  @Override
  public String toString() {
    return "NtXentLoss(temperature=" + temperature + ")";
  }
}
