package org.mustjava.models.heads;

import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.FeaturePyramid;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.layers.Conv2d;
import org.mustjava.models.layers.Resize;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The dense-prediction trunk shared by the segmentation, depth and surface-normal heads (paper
 * Fig. 3): on the fused finest decoder level (fused P2), {@code hiddenLayers} 3x3 convs
 * ({@code hidden_<i>}, each + BatchNorm {@code hidden_<i>_bn} + ReLU), one linear 1x1 conv
 * ({@code output}) and a bilinear upsampling of the result to the input image size.
 */
public final class PixelHead {
  private final int hiddenLayers;
  private final int hiddenFilters;
  private final boolean useBatchNorm;
  private final BatchNorm batchNorm;

  public PixelHead(int hiddenLayers, int hiddenFilters, boolean useBatchNorm, BatchNorm batchNorm) {
    if (hiddenLayers < 0 || hiddenFilters <= 0) {
      throw new IllegalArgumentException("pixel head: hidden_layers must be >= 0 and hidden_filters > 0, got "
          + hiddenLayers + ", " + hiddenFilters);
    }
    this.hiddenLayers = hiddenLayers;
    this.hiddenFilters = hiddenFilters;
    this.useBatchNorm = useBatchNorm;
    this.batchNorm = batchNorm;
  }

  /** The paper's trunk: 3 hidden convs of 256 channels with BatchNorm. */
  public static PixelHead standard() {
    return new PixelHead(3, 256, true, BatchNorm.defaults());
  }

  /** Output [B, H_image, W_image, outputChannels], before any activation. */
  public Operand<TFloat32> build(GraphContext ctx, FeaturePyramid features, int outputChannels) {
    Ops tf = ctx.tf();
    Operand<TFloat32> x = features.fusedFinest();
    for (int i = 1; i <= hiddenLayers; i++) {
      x = Conv2d.of(hiddenFilters, 3).withBias(!useBatchNorm).apply(ctx.scope("hidden_" + i), x);
      if (useBatchNorm) x = batchNorm.apply(ctx.scope("hidden_" + i + "_bn"), x);
      x = tf.nn.relu(x);
    }
    x = Conv2d.of(outputChannels, 1).apply(ctx.scope("output"), x);
    return Resize.bilinear(tf, x, features.imageSize());
  }
}
