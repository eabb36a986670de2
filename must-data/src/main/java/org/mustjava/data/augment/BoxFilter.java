package org.mustjava.data.augment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Selections on a sample's variable-length box list: the boxes and every field with one row per box
 * ({@link FieldGeometry#boxRows()}: classes, flags, a label type's per-box values) stay paired.
 */
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
    Map<String, Operand<?>> rows = new LinkedHashMap<>();
    sample.fields().forEach((name, f) -> {
      if (f.geometry().boxRows()) {
        rows.put(name, tf.gather(f.tensor(), kept, tf.constant(0)));
      }
    });
    return sample.withTensors(rows);
  }

  /** Keeps at most the first {@code maxBoxes} boxes. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Sample keepFirst(Ops tf, Sample sample, int maxBoxes) {
    if (!sample.hasBoxes()) {
      return sample;
    }
    Operand<TInt32> count =
        tf.math.minimum(tf.shape(sample.boxClasses()), tf.constant(new int[] {maxBoxes}));
    Map<String, Operand<?>> rows = new LinkedHashMap<>();
    sample.fields().forEach((name, f) -> {
      if (f.geometry().boxRows()) {
        // The first count rows, whole (-1) along every other axis.
        int rank = f.tensor().shape().numDimensions();
        int[] rest = new int[Math.max(rank - 1, 0)];
        java.util.Arrays.fill(rest, -1);
        rows.put(name, tf.slice((Operand) f.tensor(), tf.constant(new int[rank]),
            tf.concat(List.of(count, tf.constant(rest)), tf.constant(0))));
      }
    });
    return sample.withTensors(rows);
  }

  /** {@code boxes[:, hi] - boxes[:, lo]} of an {@code [N, 4]} box tensor. */
  private static Operand<TFloat32> column(Ops tf, Operand<TFloat32> boxes, int hi, int lo) {
    return tf.math.sub(
        tf.gather(boxes, tf.constant(hi), tf.constant(1)),
        tf.gather(boxes, tf.constant(lo), tf.constant(1)));
  }
}
