package org.mustjava.data.augment;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One decoded example as graph tensors, the unit the augmentations transform. Every field except
 * the image is optional ({@code null} when the example or the task set does not carry it).
 *
 * <ul>
 *   <li>{@code image}: float32 {@code [H, W, 3]}, already normalised (padding adds zeros, i.e. the
 *       dataset mean);
 *   <li>{@code boxes}: float32 {@code [N, 4]}, normalised {@code (ymin, xmin, ymax, xmax)} relative to
 *       the image; {@code boxClasses}: int32 {@code [N]} (present together with boxes);
 *       {@code boxFlags}: int32 {@code [N, 2]}, per box (difficult, is_crowd) as 0/1, the evaluation
 *       flags of VOC and COCO (optional; every selection of box rows selects them too);
 *   <li>{@code segmentation}: int32 {@code [H', W', 1]}, class ids with {@link #IGNORE_LABEL};
 *   <li>{@code depth}: float32 {@code [H', W', 1]}, values {@code <= 0} are invalid;
 *   <li>{@code normals}: float32 {@code [H', W', 3]}, (x, y, z) with x pointing right in the image; the
 *       zero vector is invalid.
 * </ul>
 *
 * <p>Dense label maps may have their own resolution: every geometric transform maps them by
 * normalised coordinates, so they stay aligned with the image.
 */
public record Sample(
    Operand<TFloat32> image,
    Operand<TFloat32> boxes,
    Operand<TInt32> boxClasses,
    Operand<TInt32> segmentation,
    Operand<TFloat32> depth,
    Operand<TFloat32> normals,
    Operand<TInt32> boxFlags) {

  /** The segmentation label that losses and metrics ignore; also the padding value of label maps. */
  public static final int IGNORE_LABEL = 255;

  /** The value that marks depth pixels without a measurement (and depth padding). */
  public static final float INVALID_DEPTH = 0f;

  public Sample {
    if (image == null) {
      throw new IllegalArgumentException("a Sample needs an image");
    }
    if ((boxes == null) != (boxClasses == null)) {
      throw new IllegalArgumentException("boxes and boxClasses come together");
    }
    if (boxFlags != null && boxes == null) {
      throw new IllegalArgumentException("boxFlags need boxes");
    }
  }

  /** A sample without box flags. */
  public Sample(
      Operand<TFloat32> image,
      Operand<TFloat32> boxes,
      Operand<TInt32> boxClasses,
      Operand<TInt32> segmentation,
      Operand<TFloat32> depth,
      Operand<TFloat32> normals) {
    this(image, boxes, boxClasses, segmentation, depth, normals, null);
  }

  /** A sample with an image only. */
  public static Sample ofImage(Operand<TFloat32> image) {
    return new Sample(image, null, null, null, null, null, null);
  }

  public Sample withImage(Operand<TFloat32> newImage) {
    return new Sample(newImage, boxes, boxClasses, segmentation, depth, normals, boxFlags);
  }

  /** New coordinates or classes for the same box rows (the box flags are kept). */
  public Sample withBoxes(Operand<TFloat32> newBoxes, Operand<TInt32> newClasses) {
    return new Sample(image, newBoxes, newClasses, segmentation, depth, normals, boxFlags);
  }

  /** New box rows with their flags ({@code null}: none). */
  public Sample withBoxes(Operand<TFloat32> newBoxes, Operand<TInt32> newClasses, Operand<TInt32> newFlags) {
    return new Sample(image, newBoxes, newClasses, segmentation, depth, normals, newFlags);
  }

  public Sample withSegmentation(Operand<TInt32> newSegmentation) {
    return new Sample(image, boxes, boxClasses, newSegmentation, depth, normals, boxFlags);
  }

  public Sample withDepth(Operand<TFloat32> newDepth) {
    return new Sample(image, boxes, boxClasses, segmentation, newDepth, normals, boxFlags);
  }

  public Sample withNormals(Operand<TFloat32> newNormals) {
    return new Sample(image, boxes, boxClasses, segmentation, depth, newNormals, boxFlags);
  }

  public boolean hasBoxes() {
    return boxes != null;
  }
}
