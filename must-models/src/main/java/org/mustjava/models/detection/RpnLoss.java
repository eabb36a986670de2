package org.mustjava.models.detection;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * RPN losses: binary cross-entropy of the objectness logits over the sampled anchors, and
 * smooth-L1 (beta 1/9, Detectron) box regression over the sampled positives, both divided by the
 * number of sampled anchors (at least 1, so a batch without objects gives finite losses).
 */
public final class RpnLoss {
  public static final String SCORE_LOSS = "rpn_score_loss";
  public static final String BOX_LOSS = "rpn_box_loss";

  private final float smoothL1Beta;
  private final float scoreWeight;
  private final float boxWeight;

  public static RpnLoss defaults() {
    return ConfigDefaults.create(RpnLoss.class, java.util.Map.of());
  }

  /**
   * @param smoothL1Beta smooth-L1 transition point (Detectron: 1/9)
   * @param scoreWeight weight of the objectness loss
   * @param boxWeight weight of the box loss
   */
  @Configurable("RpnLoss")
  public RpnLoss(
      @Default("0.1111111111111111") float smoothL1Beta, @Default("1.0") float scoreWeight,
      @Default("1.0") float boxWeight) {
    this.smoothL1Beta = smoothL1Beta;
    this.scoreWeight = scoreWeight;
    this.boxWeight = boxWeight;
  }

  /**
   * @param scoreLogits {@code [B, N]} objectness logits of all anchors
   * @param boxDeltas {@code [B, N, 4]}
   * @return {@value #SCORE_LOSS} and {@value #BOX_LOSS}, weighted scalars
   */
  public Map<String, Operand<TFloat32>> compute(
      Ops tf, Operand<TFloat32> scoreLogits, Operand<TFloat32> boxDeltas, RpnTargets targets) {
    Operand<TFloat32> normalizer =
        tf.math.maximum(tf.reduceSum(targets.scoreWeights(), tf.constant(new int[] {0, 1})), tf.constant(1f));
    Operand<TFloat32> ce = SigmoidCrossEntropy.withLogits(tf, scoreLogits, targets.scoreLabels());
    Operand<TFloat32> scoreLoss = tf.math.div(
        tf.reduceSum(tf.math.mul(ce, targets.scoreWeights()), tf.constant(new int[] {0, 1})), normalizer);
    Operand<TFloat32> perBox = tf.reduceSum(
        SmoothL1.loss(tf, tf.math.sub(boxDeltas, targets.boxTargets()), smoothL1Beta), tf.constant(2));
    Operand<TFloat32> boxLoss = tf.math.div(
        tf.reduceSum(tf.math.mul(perBox, targets.boxWeights()), tf.constant(new int[] {0, 1})), normalizer);
    Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();
    losses.put(SCORE_LOSS, tf.math.mul(scoreLoss, tf.constant(scoreWeight)));
    losses.put(BOX_LOSS, tf.math.mul(boxLoss, tf.constant(boxWeight)));
    return losses;
  }
}
