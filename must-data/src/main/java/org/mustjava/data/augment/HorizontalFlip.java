package org.mustjava.data.augment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Mirrors a {@link Sample} left-right, consistently for every field, each as its {@link
 * FieldGeometry} says: pixels of the image and of the label maps swap columns, boxes become {@code
 * (ymin, 1 - xmax, ymax, 1 - xmin)}, and the x component of surface normals changes sign (a surface
 * facing right faces left in the mirror image).
 */
public final class HorizontalFlip {
  private HorizontalFlip() {}

  /** Flips every field of {@code sample} unconditionally, each by its {@link FieldGeometry}. */
  public static Sample apply(Ops tf, Sample sample) {
    Map<String, Operand<?>> flipped = new LinkedHashMap<>();
    sample.fields().forEach((name, f) -> flipped.put(name, f.geometry().flip(tf, f.tensor())));
    return sample.withImage(mirror(tf, sample.image())).withTensors(flipped);
  }

  /** Flips every field of {@code sample} when the scalar {@code flip} is true, else returns it as is. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Sample applyIf(Ops tf, Sample sample, Operand<TBool> flip) {
    Sample flipped = apply(tf, sample);
    Map<String, Operand<?>> chosen = new LinkedHashMap<>();
    sample.fields().forEach((name, f) -> {
      Operand<?> after = flipped.fields().get(name).tensor();
      // Fields the flip leaves alone (classes, per-box values) need no select.
      chosen.put(name, after == f.tensor() ? after : tf.select(flip, (Operand) after, (Operand) f.tensor()));
    });
    return sample.withImage(tf.select(flip, flipped.image(), sample.image())).withTensors(chosen);
  }

  /** Reverses the width axis of an {@code [H, W, C]} tensor. */
  static <T extends TType> Operand<T> mirror(Ops tf, Operand<T> map) {
    return tf.reverse(map, tf.constant(new int[] {1}));
  }

  /** {@code (ymin, xmin, ymax, xmax) -> (ymin, 1 - xmax, ymax, 1 - xmin)} on {@code [N, 4]} boxes. */
  static Operand<TFloat32> flipBoxes(Ops tf, Operand<TFloat32> boxes) {
    Operand<TFloat32> swapped =
        tf.gather(boxes, tf.constant(new int[] {0, 3, 2, 1}), tf.constant(1));
    return tf.math.add(
        tf.math.mul(swapped, tf.constant(new float[] {1f, -1f, 1f, -1f})),
        tf.constant(new float[] {0f, 1f, 0f, 1f}));
  }

  /** Mirrors an {@code [H, W, 3]} normal map and negates its x component. */
  static Operand<TFloat32> flipNormals(Ops tf, Operand<TFloat32> normals) {
    return tf.math.mul(mirror(tf, normals), tf.constant(new float[] {-1f, 1f, 1f}));
  }
}
