package org.mustjava.models.heads;

import java.util.HashMap;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.FeaturePyramid;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.losses.PixelCrossEntropyLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Semantic segmentation on fused P2 ({@link PixelHead}). Predictions at input resolution:
 * {@code logits} [B, H, W, C], {@code probabilities}, {@code classes} (int32 argmax). Loss
 * {@code cross_entropy} from label {@code segmentation} with the loss's ignore label.
 */
public final class SegmentationHead implements TaskHead {
  private final String name;
  private final int numClasses;
  private final PixelHead trunk;
  private final PixelCrossEntropyLoss loss;

  /**
   * @param name task name (scope {@code heads/<name>})
   * @param numClasses segmentation classes
   * @param hiddenLayers hidden 3x3 convs (3 in the paper)
   * @param hiddenFilters channels of the hidden convs (256)
   * @param useBatchNorm BatchNorm after each hidden conv
   * @param loss per-pixel cross-entropy with ignore label
   * @param batchNorm settings of the hidden convs' BatchNorm (the configured {@code BatchNorm})
   */
  @Configurable("SegmentationHead")
  public SegmentationHead(@Default("'segmentation'") String name, int numClasses,
      @Default("3") int hiddenLayers, @Default("256") int hiddenFilters, @Default("True") boolean useBatchNorm,
      @Default("@PixelCrossEntropyLoss()") PixelCrossEntropyLoss loss, @Default("@BatchNorm()") BatchNorm batchNorm) {
    if (numClasses <= 0) throw new IllegalArgumentException("SegmentationHead.num_classes must be positive, got " + numClasses);
    this.name = name;
    this.numClasses = numClasses;
    this.trunk = new PixelHead(hiddenLayers, hiddenFilters, useBatchNorm, batchNorm);
    this.loss = loss;
  }

  /** A segmentation head with {@link BatchNorm#defaults()}. */
  public SegmentationHead(String name, int numClasses, int hiddenLayers, int hiddenFilters, boolean useBatchNorm,
      PixelCrossEntropyLoss loss) {
    this(name, numClasses, hiddenLayers, hiddenFilters, useBatchNorm, loss, BatchNorm.defaults());
  }

  public static SegmentationHead of(int numClasses, int hiddenFilters) {
    return new SegmentationHead("segmentation", numClasses, 3, hiddenFilters, true, PixelCrossEntropyLoss.standard());
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HeadOutput build(GraphContext ctx, FeaturePyramid features, Map<String, Operand<?>> labels) {
    Ops tf = ctx.tf();
    Operand<TFloat32> logits = trunk.build(ctx, features, numClasses);
    Map<String, Operand<?>> predictions = new HashMap<>();
    predictions.put("logits", logits);
    predictions.put("probabilities", tf.nn.softmax(logits));
    predictions.put("classes", tf.math.argMax(logits, tf.constant(-1), TInt32.class));
    Map<String, Operand<TFloat32>> losses = new HashMap<>();
    if (labels != null) {
      losses.put("cross_entropy",
          loss.compute(tf, logits, Labels.get(labels, LabelKeys.SEGMENTATION, TInt32.class, name)));
    }
    return new HeadOutput(predictions, losses);
  }
}
