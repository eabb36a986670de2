package org.mustjava.models.detection;

import java.util.LinkedHashMap;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Box-head losses: softmax cross-entropy over K + 1 classes averaged over the sampled ROIs, and
 * smooth-L1 (beta 1, Detectron) on the class-specific box deltas of the target class, summed over
 * foreground ROIs and divided by the number of sampled ROIs (at least 1).
 */
public final class FastRcnnLoss {
  public static final String CLASS_LOSS = "frcnn_class_loss";
  public static final String BOX_LOSS = "frcnn_box_loss";

  private final float smoothL1Beta;
  private final float classWeight;
  private final float boxWeight;

  public static FastRcnnLoss defaults() {
    return ConfigDefaults.create(FastRcnnLoss.class, java.util.Map.of());
  }

  /**
   * @param smoothL1Beta smooth-L1 transition point (Detectron: 1)
   * @param classWeight weight of the classification loss
   * @param boxWeight weight of the box loss
   */
  @Configurable("FastRcnnLoss")
  public FastRcnnLoss(
      @Default("1.0") float smoothL1Beta, @Default("1.0") float classWeight, @Default("1.0") float boxWeight) {
    this.smoothL1Beta = smoothL1Beta;
    this.classWeight = classWeight;
    this.boxWeight = boxWeight;
  }

  /**
   * @param classLogits {@code [B, S, K + 1]}
   * @param boxDeltas {@code [B, S, K + 1, 4]} class-specific deltas
   */
  public Map<String, Operand<TFloat32>> compute(
      Ops tf, Operand<TFloat32> classLogits, Operand<TFloat32> boxDeltas, SampledRois rois) {
    int numClassesWithBackground = (int) classLogits.shape().get(2);
    Operand<TFloat32> oneHot = tf.oneHot(
        rois.classes(), tf.constant(numClassesWithBackground), tf.constant(1f), tf.constant(0f)); // [B,S,K+1]
    Operand<TFloat32> flatLogits = tf.reshape(classLogits, tf.constant(new int[] {-1, numClassesWithBackground}));
    Operand<TFloat32> flatLabels = tf.reshape(oneHot, tf.constant(new int[] {-1, numClassesWithBackground}));
    Operand<TFloat32> ce = tf.nn.softmaxCrossEntropyWithLogits(flatLogits, flatLabels).loss(); // [B*S]
    Operand<TFloat32> valid = tf.reshape(rois.valid(), tf.constant(new int[] {-1}));
    Operand<TFloat32> normalizer = tf.math.maximum(tf.reduceSum(valid, tf.constant(0)), tf.constant(1f));
    Operand<TFloat32> classLoss = tf.math.div(tf.reduceSum(tf.math.mul(ce, valid), tf.constant(0)), normalizer);

    // Deltas of the target class: one-hot weighted sum over the class axis.
    Operand<TFloat32> chosen = tf.reduceSum(
        tf.math.mul(boxDeltas, tf.expandDims(oneHot, tf.constant(3))), tf.constant(2)); // [B,S,4]
    Operand<TFloat32> perRoi = tf.reduceSum(
        SmoothL1.loss(tf, tf.math.sub(chosen, rois.boxTargets()), smoothL1Beta), tf.constant(2)); // [B,S]
    Operand<TFloat32> boxLoss = tf.math.div(
        tf.reduceSum(tf.math.mul(perRoi, rois.foreground()), tf.constant(new int[] {0, 1})), normalizer);
    Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();
    losses.put(CLASS_LOSS, tf.math.mul(classLoss, tf.constant(classWeight)));
    losses.put(BOX_LOSS, tf.math.mul(boxLoss, tf.constant(boxWeight)));
    return losses;
  }
}
