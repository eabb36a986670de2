package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Training targets of the RPN for every anchor of every level (concatenated in level order).
 *
 * @param scoreLabels {@code [B, N]} 1 for a positive anchor, 0 otherwise
 * @param scoreWeights {@code [B, N]} 1 for sampled anchors (positive or negative), 0 otherwise
 * @param boxTargets {@code [B, N, 4]} encoded matched ground truth (0 where not positive)
 * @param boxWeights {@code [B, N]} 1 for sampled positives
 */
public record RpnTargets(
    Operand<TFloat32> scoreLabels, Operand<TFloat32> scoreWeights, Operand<TFloat32> boxTargets,
    Operand<TFloat32> boxWeights) {

  /**
   * These targets with the anchors of images whose {@code labelled} [B] is 0 unsampled: such
   * images (no detection label at all, unlike an image labelled with no objects) add nothing to
   * the losses or their normaliser.
   */
  public RpnTargets onlyLabelledImages(Ops tf, Operand<TFloat32> labelled) {
    Operand<TFloat32> perAnchor = tf.expandDims(tf.stopGradient(labelled), tf.constant(1)); // [B, 1]
    return new RpnTargets(scoreLabels, tf.math.mul(scoreWeights, perAnchor), boxTargets,
        tf.math.mul(boxWeights, perAnchor));
  }
}
