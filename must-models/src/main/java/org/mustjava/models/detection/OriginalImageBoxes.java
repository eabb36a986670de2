package org.mustjava.models.detection;

import java.util.List;
import org.mustjava.data.pipeline.InputBatch;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Maps boxes from the detector's input image back to the original image, for evaluation against
 * original annotations (VOC, COCO) and for exporting pseudo labels.
 *
 * <p>The evaluation pipeline resizes an {@code h x w} image by {@code scale = min(S / h, S / w)}
 * (the longer side becomes S) and pads at the bottom and on the right (see {@link InputBatch},
 * "Mapping back"). A point {@code (y, x)} in input pixels is therefore {@code (y / scale,
 * x / scale)} in original pixels; there is no offset. The result is clipped to {@code [0, h] x [0,
 * w]}: the resized image is {@code round(h scale) x round(w scale)} pixels, so a box touching its
 * border may map up to half an input pixel beyond the original image, and a box (partly) in the
 * padding would otherwise extend past it. A box lying wholly in the padding becomes an empty box
 * on the image border; padding rows (all zeros) stay zero.
 *
 * <p>This only holds for evaluation batches: in training the random crop offset and flip are not
 * reported, so training outputs cannot be mapped back.
 */
public final class OriginalImageBoxes {
  private OriginalImageBoxes() {}

  /**
   * Detection boxes in original-image pixels, using the batch's {@code scale}, {@code
   * original_height} and {@code original_width}.
   *
   * @param detections the detector's output on {@code batch}
   * @param batch the evaluation batch the detections were computed on
   * @return {@code [B, D, 4]} (ymin, xmin, ymax, xmax) in original pixels
   */
  public static Operand<TFloat32> pixels(Ops tf, Detections detections, InputBatch batch) {
    requireMappingTensors(batch);
    return pixels(tf, detections.boxes(), batch.scale(), batch.originalHeight(), batch.originalWidth());
  }

  /**
   * Detection boxes normalised to the original image (divided by its height and width), the
   * convention of the TFRecord {@code image/object/bbox/*} features, for pseudo-label export.
   */
  public static Operand<TFloat32> normalized(Ops tf, Detections detections, InputBatch batch) {
    requireMappingTensors(batch);
    return normalized(tf, detections.boxes(), batch.scale(), batch.originalHeight(), batch.originalWidth());
  }

  /**
   * @param inputBoxes {@code [B, D, 4]} boxes in pixels of the S x S network input
   * @param scale {@code [B]} resized / original
   * @param originalHeight {@code [B]} original image heights
   * @param originalWidth {@code [B]} original image widths
   * @return {@code [B, D, 4]} the boxes in original pixels, clipped to each original image
   */
  public static Operand<TFloat32> pixels(
      Ops tf, Operand<TFloat32> inputBoxes, Operand<TFloat32> scale, Operand<TInt32> originalHeight,
      Operand<TInt32> originalWidth) {
    requireRank3(inputBoxes);
    Operand<TFloat32> perImageScale = tf.reshape(scale, tf.constant(new int[] {-1, 1, 1}));
    Operand<TFloat32> unscaled = tf.math.div(inputBoxes, perImageScale);
    Operand<TFloat32> height = perImageColumn(tf, originalHeight);
    Operand<TFloat32> width = perImageColumn(tf, originalWidth);
    List<Operand<TFloat32>> c = Boxes.coordinates(tf, unscaled); // each [B, D]
    Operand<TFloat32> zero = tf.constant(0f);
    return Boxes.fromCoordinates(
        tf,
        tf.math.minimum(tf.math.maximum(c.get(0), zero), height),
        tf.math.minimum(tf.math.maximum(c.get(1), zero), width),
        tf.math.minimum(tf.math.maximum(c.get(2), zero), height),
        tf.math.minimum(tf.math.maximum(c.get(3), zero), width));
  }

  /** As {@link #pixels(Ops, Operand, Operand, Operand, Operand)}, then divided by the original height/width. */
  public static Operand<TFloat32> normalized(
      Ops tf, Operand<TFloat32> inputBoxes, Operand<TFloat32> scale, Operand<TInt32> originalHeight,
      Operand<TInt32> originalWidth) {
    Operand<TFloat32> original = pixels(tf, inputBoxes, scale, originalHeight, originalWidth);
    Operand<TFloat32> height = perImageColumn(tf, originalHeight);
    Operand<TFloat32> width = perImageColumn(tf, originalWidth);
    Operand<TFloat32> divisors = tf.stack(List.of(height, width, height, width), org.tensorflow.op.core.Stack.axis(-1L));
    return tf.math.div(original, divisors); // [B, 1, 4] broadcasts over D
  }

  /**
   * The same mapping for one box fetched into Java: (ymin, xmin, ymax, xmax) in input pixels to
   * original pixels, clipped to {@code [0, originalHeight] x [0, originalWidth]}.
   */
  public static float[] pixels(float[] inputBox, float scale, int originalHeight, int originalWidth) {
    if (inputBox.length != 4) {
      throw new IllegalArgumentException("a box has 4 coordinates (ymin, xmin, ymax, xmax), got " + inputBox.length);
    }
    if (!(scale > 0) || originalHeight < 1 || originalWidth < 1) {
      throw new IllegalArgumentException("mapping to the original image needs scale > 0 and a non-empty image, got scale "
          + scale + ", " + originalHeight + " x " + originalWidth);
    }
    float[] limits = {originalHeight, originalWidth, originalHeight, originalWidth};
    float[] out = new float[4];
    for (int i = 0; i < 4; i++) out[i] = Math.min(Math.max(inputBox[i] / scale, 0f), limits[i]);
    return out;
  }

  /** {@code [B]} int32 -> {@code [B, 1]} float32, to broadcast over the detections of each image. */
  private static Operand<TFloat32> perImageColumn(Ops tf, Operand<TInt32> values) {
    return tf.expandDims(tf.dtypes.cast(values, TFloat32.class), tf.constant(1));
  }

  private static void requireRank3(Operand<TFloat32> boxes) {
    if (boxes.shape().numDimensions() != 3 && boxes.shape().numDimensions() >= 0) {
      throw new IllegalArgumentException("original-image boxes need [B, D, 4] boxes, got shape " + boxes.shape());
    }
  }

  private static void requireMappingTensors(InputBatch batch) {
    if (batch.scale() == null || batch.originalHeight() == null || batch.originalWidth() == null) {
      throw new IllegalArgumentException("the input batch has no " + InputBatch.SCALE + "/" + InputBatch.ORIGINAL_HEIGHT
          + "/" + InputBatch.ORIGINAL_WIDTH + " tensors to map detections back to the original images");
    }
  }
}
