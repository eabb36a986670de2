package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Regions of interest sampled for training the box head, with their targets.
 *
 * @param boxes {@code [B, S, 4]} pixels (zero where padding)
 * @param classes {@code [B, S]} int32 target class, 0 = background (also for padding)
 * @param boxTargets {@code [B, S, 4]} matched ground truth encoded relative to the ROI (0 unless foreground)
 * @param foreground {@code [B, S]} 1 for foreground ROIs
 * @param valid {@code [B, S]} 1 for sampled ROIs, 0 for padding (fewer candidates than S)
 */
public record SampledRois(
    Operand<TFloat32> boxes, Operand<TInt32> classes, Operand<TFloat32> boxTargets, Operand<TFloat32> foreground,
    Operand<TFloat32> valid) {

  /**
   * These ROIs with those of images whose {@code labelled} [B] is 0 marked as padding, so they add
   * nothing to the box-head losses or their normaliser (see {@link RpnTargets#onlyLabelledImages}).
   */
  public SampledRois onlyLabelledImages(Ops tf, Operand<TFloat32> labelled) {
    Operand<TFloat32> perRoi = tf.expandDims(tf.stopGradient(labelled), tf.constant(1)); // [B, 1]
    return new SampledRois(boxes, classes, boxTargets, tf.math.mul(foreground, perRoi), tf.math.mul(valid, perRoi));
  }
}
