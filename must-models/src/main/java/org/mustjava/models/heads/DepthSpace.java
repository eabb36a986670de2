package org.mustjava.models.heads;

import java.util.List;
import java.util.Locale;
import org.mustjava.data.example.DepthType;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The space a depth head predicts in, and how each example's label ({@link DepthType}) is brought
 * into it before the loss, so that a scale-and-shift-invariant loss aligns prediction and label in
 * the label's own space:
 *
 * <ul>
 *   <li>{@link #DEPTH}: metric and relative labels as they are;
 *   <li>{@link #INVERSE_DEPTH} (for MiDaS pseudo labels, inverse depth up to scale and shift):
 *       inverse-relative labels as they are, metric labels as {@code 1 / d} (exact: a metric depth
 *       has no shift), so real metric labels mixed in with MiDaS pseudo labels train the same head.
 * </ul>
 * The remaining pairs (an inverse-relative label for a depth head, a relative label for an
 * inverse-depth head) have no exact conversion, since the unknown shift does not survive {@code
 * 1/x}: a batch holding one (with valid pixels) fails the step with an error naming the head.
 */
public enum DepthSpace {
  DEPTH,
  INVERSE_DEPTH;

  /** Parses a config value, {@code 'depth'} or {@code 'inverse_depth'}. */
  public static DepthSpace parse(String name) {
    for (DepthSpace s : values()) {
      if (s.configName().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("depth prediction space must be 'depth' or 'inverse_depth', got '" + name + "'");
  }

  /** {@code depth} or {@code inverse_depth}: the config value and the head's prediction key. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The labels in this space.
   *
   * @param depth float32 [B, H, W] (0 where invalid)
   * @param valid float32 [B, H, W]
   * @param types int32 [B] {@link DepthType} codes, or null (labels already in this space)
   * @return the label map [B, H, W] in this space, 0 where invalid
   */
  public Operand<TFloat32> labels(Ops tf, Operand<TFloat32> depth, Operand<TFloat32> valid, Operand<TInt32> types,
      String head) {
    if (types == null) {
      return depth;
    }
    Operand<TInt32> perPixel = tf.reshape(types, tf.constant(new int[] {-1, 1, 1}));
    DepthType convertible = this == DEPTH ? null : DepthType.METRIC;
    DepthType unusable = this == DEPTH ? DepthType.INVERSE_RELATIVE : DepthType.RELATIVE;
    Operand<TBool> isValid = tf.math.greater(valid, tf.constant(0f));
    Operand<TBool> bad = tf.math.logicalAnd(isValid, tf.math.equal(perPixel, tf.constant(unusable.code())));
    var check = tf.assertThat(
        tf.math.logicalNot(tf.reduceAny(bad, tf.constant(new int[] {0, 1, 2}))),
        List.of(tf.constant("depth head '" + head + "' predicts " + configName() + " but the batch has '"
            + unusable.featureValue() + "' depth labels (image/depth/type), which have no exact conversion;"
            + " set DepthHead.prediction_space to match the labels. depth_type per example:"), types));
    Ops checked = tf.withControlDependencies(List.of(check));
    if (convertible == null) {
      return checked.identity(depth);
    }
    Operand<TBool> convert = tf.math.logicalAnd(isValid, tf.math.equal(perPixel, tf.constant(convertible.code())));
    Operand<TFloat32> safe = tf.select(convert, depth, tf.onesLike(depth));
    return checked.select(convert, tf.math.reciprocal(safe), depth);
  }
}
