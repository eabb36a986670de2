package org.mustjava.models.heads;

import org.mustjava.data.pipeline.InputBatch;

/**
 * Keys of the label tensors the input pipelines produce and the heads consume: the same strings as
 * {@link InputBatch}'s component names, so a pipeline batch feeds a model as it is.
 */
public final class LabelKeys {
  private LabelKeys() {}

  /** float32 [B, H, W, 3], the model input. */
  public static final String IMAGE = InputBatch.IMAGE;
  /** float32 [B], 0 for a row that only pads an eval batch (see {@link InputBatch}), else 1. */
  public static final String EXAMPLE_VALID = InputBatch.EXAMPLE_VALID;
  /** int32 [B], hard class index. */
  public static final String CLASS_LABEL = InputBatch.CLASS_LABEL;
  /** float32 [B, C], soft class probabilities (pseudo labels). */
  public static final String CLASS_PROBS = InputBatch.CLASS_PROBS;
  /** float32 [B, N, 4], normalised (ymin, xmin, ymax, xmax), padded to N. */
  public static final String BOXES = InputBatch.BOXES;
  /** int32 [B, N], padded. */
  public static final String BOX_CLASSES = InputBatch.BOX_CLASSES;
  /** int32 [B], number of valid boxes per image. */
  public static final String NUM_BOXES = InputBatch.NUM_BOXES;
  /** float32 [B], 1 when the image carries detection labels; 0 = no loss from it (optional). */
  public static final String DETECTION_LABELLED = InputBatch.DETECTION_LABELLED;
  /** int32 [B, H, W], class per pixel, {@code 255} = ignore. */
  public static final String SEGMENTATION = InputBatch.SEGMENTATION;
  /** float32 [B, H, W]. */
  public static final String DEPTH = InputBatch.DEPTH;
  /** float32 [B, H, W], 1 where depth is valid, else 0. */
  public static final String DEPTH_VALID = InputBatch.DEPTH_VALID;
  /** int32 [B], {@code DepthType} code of each depth label (optional: the head's own space). */
  public static final String DEPTH_TYPE = InputBatch.DEPTH_TYPE;
  /** float32 [B, H, W, 3], unit surface normals. */
  public static final String NORMALS = InputBatch.NORMALS;
  /** float32 [B, H, W], 1 where the normal is valid, else 0. */
  public static final String NORMALS_VALID = InputBatch.NORMALS_VALID;

  /** The ignore value of {@link #SEGMENTATION}. */
  public static final int IGNORE_LABEL = 255;
}
