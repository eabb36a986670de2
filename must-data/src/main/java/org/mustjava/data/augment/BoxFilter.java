package org.mustjava.data.augment;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** Selections on a sample's variable-length box list (boxes, classes and flags stay paired). */
public final class BoxFilter {
  private BoxFilter() {}

  /** Keeps the boxes with {@code ymax > ymin} and {@code xmax > xmin}, in their original order. */
  public static Sample keepNonEmpty(Ops tf, Sample sample) {
    if (!sample.hasBoxes()) {
      return sample;
    }
    Operand<TFloat32> boxes = sample.boxes();
    Operand<TFloat32> heights = column(tf, boxes, 2, 0);
    Operand<TFloat32> widths = column(tf, boxes, 3, 1);
    Operand<TBool> keep =
        tf.math.logicalAnd(
            tf.math.greater(heights, tf.constant(0f)), tf.math.greater(widths, tf.constant(0f)));
    Operand<TInt64> kept = tf.reshape(tf.where(keep), tf.constant(new int[] {-1}));
    return sample.withBoxes(
        tf.gather(boxes, kept, tf.constant(0)), tf.gather(sample.boxClasses(), kept, tf.constant(0)),
        sample.boxFlags() == null ? null : tf.gather(sample.boxFlags(), kept, tf.constant(0)));
  }

  /** Keeps at most the first {@code maxBoxes} boxes. */
  public static Sample keepFirst(Ops tf, Sample sample, int maxBoxes) {
    if (!sample.hasBoxes()) {
      return sample;
    }
    Operand<TInt32> count =
        tf.math.minimum(tf.shape(sample.boxClasses()), tf.constant(new int[] {maxBoxes}));
    Operand<TFloat32> boxes =
        tf.slice(
            sample.boxes(),
            tf.constant(new int[] {0, 0}),
            tf.concat(java.util.List.of(count, tf.constant(new int[] {4})), tf.constant(0)));
    Operand<TInt32> classes = tf.slice(sample.boxClasses(), tf.constant(new int[] {0}), count);
    Operand<TInt32> flags = sample.boxFlags() == null ? null
        : tf.slice(
            sample.boxFlags(),
            tf.constant(new int[] {0, 0}),
            tf.concat(java.util.List.of(count, tf.constant(new int[] {2})), tf.constant(0)));
    return sample.withBoxes(boxes, classes, flags);
  }

  /** {@code boxes[:, hi] - boxes[:, lo]} of an {@code [N, 4]} box tensor. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> boxes, int hi, int lo) {
    return tf.math.sub(
        tf.gather(boxes, tf.constant(hi), tf.constant(1)),
        tf.gather(boxes, tf.constant(lo), tf.constant(1)));
  }
}
