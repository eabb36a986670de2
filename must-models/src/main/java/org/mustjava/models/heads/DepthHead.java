package org.mustjava.models.heads;

import java.util.HashMap;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.FeaturePyramid;
import org.mustjava.models.layers.Activations;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.losses.DepthLoss;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Depth on fused P2 ({@link PixelHead}, one output channel, then {@code activation}). Prediction
 * {@code depth} [B, H, W] at input resolution ({@code inverse_depth} when the head predicts inverse
 * depth, see {@link DepthSpace}). Loss {@code depth} from labels {@code depth}, {@code depth_valid}
 * (all pixels valid when the batch has no {@code depth_valid}) and {@code depth_type} (labels taken
 * to be in the head's space when absent).
 */
public final class DepthHead implements TaskHead {
  private final String name;
  private final PixelHead trunk;
  private final String activation;
  private final DepthSpace space;
  private final DepthLoss loss;

  /**
   * @param name task name (scope {@code heads/<name>})
   * @param hiddenLayers hidden 3x3 convs (3)
   * @param hiddenFilters channels of the hidden convs (256)
   * @param useBatchNorm BatchNorm after each hidden conv
   * @param activation on the output: linear (relative depth), softplus/exp/relu (metric depth)
   * @param predictionSpace {@code 'depth'} or {@code 'inverse_depth'} (MiDaS-style pseudo labels):
   *     what the output means; labels are brought into it ({@link DepthSpace})
   * @param loss {@code ScaleShiftInvariantDepthLoss} (pseudo labels) or {@code MetricDepthLoss}
   * @param batchNorm settings of the hidden convs' BatchNorm (the configured {@code BatchNorm})
   */
  @Configurable("DepthHead")
  public DepthHead(@Default("'depth'") String name, @Default("3") int hiddenLayers,
      @Default("256") int hiddenFilters, @Default("True") boolean useBatchNorm,
      @Default("'linear'") String activation, @Default("'depth'") String predictionSpace,
      @Default("@ScaleShiftInvariantDepthLoss()") DepthLoss loss, @Default("@BatchNorm()") BatchNorm batchNorm) {
    this.name = name;
    this.trunk = new PixelHead(hiddenLayers, hiddenFilters, useBatchNorm, batchNorm);
    this.activation = Activations.check(activation);
    this.space = DepthSpace.parse(predictionSpace);
    this.loss = loss;
  }

  /** A depth head with {@link BatchNorm#defaults()}. */
  public DepthHead(String name, int hiddenLayers, int hiddenFilters, boolean useBatchNorm, String activation,
      String predictionSpace, DepthLoss loss) {
    this(name, hiddenLayers, hiddenFilters, useBatchNorm, activation, predictionSpace, loss, BatchNorm.defaults());
  }

  public static DepthHead of(int hiddenFilters, DepthLoss loss) {
    return new DepthHead("depth", 3, hiddenFilters, true, "linear", "depth", loss);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public HeadOutput build(GraphContext ctx, FeaturePyramid features, Map<String, Operand<?>> labels) {
    Ops tf = ctx.tf();
    Operand<TFloat32> out = trunk.build(ctx, features, 1);
    Operand<TFloat32> depth = tf.squeeze(Activations.apply(tf, activation, out),
        org.tensorflow.op.core.Squeeze.axis(java.util.List.of(3L)));
    Map<String, Operand<?>> predictions = new HashMap<>();
    predictions.put(space.configName(), depth);
    Map<String, Operand<TFloat32>> losses = new HashMap<>();
    if (labels != null) {
      Operand<TFloat32> target = Labels.get(labels, LabelKeys.DEPTH, TFloat32.class, name);
      Operand<TFloat32> valid = Labels.optional(labels, LabelKeys.DEPTH_VALID, TFloat32.class, name);
      if (valid == null) valid = tf.onesLike(target);
      Operand<TInt32> types = Labels.optional(labels, LabelKeys.DEPTH_TYPE, TInt32.class, name);
      losses.put("depth", loss.compute(tf, depth, space.labels(tf, target, valid, types, name), valid));
    }
    return new HeadOutput(predictions, losses);
  }
}
