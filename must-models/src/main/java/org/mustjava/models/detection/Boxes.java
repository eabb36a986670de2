package org.mustjava.models.detection;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Graph ops on boxes stored as {@code [..., 4]} tensors in (ymin, xmin, ymax, xmax) order.
 *
 * <p>The detector works in pixel coordinates of its input image; the data pipeline's normalised
 * boxes are scaled by (height, width) on the way in and back on the way out.
 */
public final class Boxes {
  private Boxes() {}

  /** The four coordinates of {@code boxes}, each shaped like {@code boxes} without its last axis. */
  public static List<Operand<TFloat32>> coordinates(Ops tf, Operand<TFloat32> boxes) {
    return List.copyOf(tf.unstack(boxes, 4L, Unstack.axis(-1L)).output());
  }

  /** Inverse of {@link #coordinates}: stacks ymin, xmin, ymax, xmax on a new last axis. */
  public static Operand<TFloat32> fromCoordinates(
      Ops tf, Operand<TFloat32> ymin, Operand<TFloat32> xmin, Operand<TFloat32> ymax, Operand<TFloat32> xmax) {
    return tf.stack(List.of(ymin, xmin, ymax, xmax), org.tensorflow.op.core.Stack.axis(-1L));
  }

  /** Box areas, zero for empty or inverted boxes. */
  public static Operand<TFloat32> area(Ops tf, Operand<TFloat32> boxes) {
    List<Operand<TFloat32>> c = coordinates(tf, boxes);
    Operand<TFloat32> zero = tf.constant(0f);
    return tf.math.mul(
        tf.math.maximum(tf.math.sub(c.get(2), c.get(0)), zero),
        tf.math.maximum(tf.math.sub(c.get(3), c.get(1)), zero));
  }

  /** Clips boxes to the image rectangle [0, height] x [0, width] (scalars). */
  public static Operand<TFloat32> clip(
      Ops tf, Operand<TFloat32> boxes, Operand<TFloat32> height, Operand<TFloat32> width) {
    List<Operand<TFloat32>> c = coordinates(tf, boxes);
    Operand<TFloat32> zero = tf.constant(0f);
    return fromCoordinates(
        tf,
        tf.math.minimum(tf.math.maximum(c.get(0), zero), height),
        tf.math.minimum(tf.math.maximum(c.get(1), zero), width),
        tf.math.minimum(tf.math.maximum(c.get(2), zero), height),
        tf.math.minimum(tf.math.maximum(c.get(3), zero), width));
  }

  /** Multiplies y coordinates by {@code yScale} and x coordinates by {@code xScale} (scalars). */
  public static Operand<TFloat32> scale(
      Ops tf, Operand<TFloat32> boxes, Operand<TFloat32> yScale, Operand<TFloat32> xScale) {
    Operand<TFloat32> factors = tf.stack(List.of(yScale, xScale, yScale, xScale));
    return tf.math.mul(boxes, factors);
  }

  /** True where a box has positive height and width. */
  public static Operand<TBool> nonEmpty(Ops tf, Operand<TFloat32> boxes) {
    List<Operand<TFloat32>> c = coordinates(tf, boxes);
    return tf.math.logicalAnd(tf.math.greater(c.get(2), c.get(0)), tf.math.greater(c.get(3), c.get(1)));
  }

  /** True where a box has both sides at least {@code minSize} (and is therefore non-empty when minSize > 0). */
  public static Operand<TBool> hasMinSize(Ops tf, Operand<TFloat32> boxes, float minSize) {
    List<Operand<TFloat32>> c = coordinates(tf, boxes);
    Operand<TFloat32> m = tf.constant(minSize);
    return tf.math.logicalAnd(
        tf.math.greaterEqual(tf.math.sub(c.get(2), c.get(0)), m),
        tf.math.greaterEqual(tf.math.sub(c.get(3), c.get(1)), m));
  }
}
