package org.mustjava.models.heads;

/** Keys of the label tensors the input pipelines produce and the heads consume. */
public final class LabelKeys {
  private LabelKeys() {}

  /** float32 [B, H, W, 3], the model input. */
  public static final String IMAGE = "image";
  /** int32 [B], hard class index. */
  public static final String CLASS_LABEL = "class_label";
  /** float32 [B, C], soft class probabilities (pseudo labels). */
  public static final String CLASS_PROBS = "class_probs";
  /** float32 [B, N, 4], normalised (ymin, xmin, ymax, xmax), padded to N. */
  public static final String BOXES = "boxes";
  /** int32 [B, N], padded. */
  public static final String BOX_CLASSES = "box_classes";
  /** int32 [B], number of valid boxes per image. */
  public static final String NUM_BOXES = "num_boxes";
  /** int32 [B, H, W], class per pixel, {@code 255} = ignore. */
  public static final String SEGMENTATION = "segmentation";
  /** float32 [B, H, W]. */
  public static final String DEPTH = "depth";
  /** float32 [B, H, W], 1 where depth is valid, else 0. */
  public static final String DEPTH_VALID = "depth_valid";
  /** float32 [B, H, W, 3], unit surface normals. */
  public static final String NORMALS = "normals";
  /** float32 [B, H, W], 1 where the normal is valid, else 0. */
  public static final String NORMALS_VALID = "normals_valid";

  /** The ignore value of {@link #SEGMENTATION}. */
  public static final int IGNORE_LABEL = 255;
}
