package org.mustjava.models.detection;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.layers.Conv2d;
import org.mustjava.models.layers.Dense;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The second-stage box head of Mask R-CNN's FPN design ("4conv1fc"): on each ROI's pooled
 * features, {@code numConvs} 3x3 convs ({@code conv_<i>}) and {@code numFcs} fully connected layers
 * ({@code fc_<i>}), each + BatchNorm (optional) + ReLU, then a linear classifier over K + 1 classes
 * ({@code class_logits}, N(0, 0.01)) and class-specific box deltas ({@code box_deltas},
 * N(0, 0.001)), as Detectron initialises them.
 */
public final class FastRcnnBoxHead {
  private final int numConvs;
  private final int numFilters;
  private final int numFcs;
  private final int fcDims;
  private final boolean useBatchNorm;
  private final BatchNorm batchNorm;

  public static FastRcnnBoxHead defaults() {
    return ConfigDefaults.create(FastRcnnBoxHead.class, java.util.Map.of());
  }

  /**
   * @param numConvs hidden 3x3 convs (4)
   * @param numFilters their channels (256)
   * @param numFcs hidden fully connected layers (1)
   * @param fcDims their width (1024)
   * @param useBatchNorm BatchNorm after each hidden layer
   * @param batchNorm its settings (the configured {@code BatchNorm} unless bound here)
   */
  @Configurable("FastRcnnBoxHead")
  public FastRcnnBoxHead(
      @Default("4") int numConvs, @Default("256") int numFilters, @Default("1") int numFcs,
      @Default("1024") int fcDims, @Default("True") boolean useBatchNorm, @Default("@BatchNorm()") BatchNorm batchNorm) {
    if (numConvs < 0 || numFcs < 0 || numFilters < 1 || fcDims < 1) {
      throw new IllegalArgumentException("FastRcnnBoxHead: layer counts must be >= 0 and widths >= 1");
    }
    this.numConvs = numConvs;
    this.numFilters = numFilters;
    this.numFcs = numFcs;
    this.fcDims = fcDims;
    this.useBatchNorm = useBatchNorm;
    this.batchNorm = batchNorm;
  }

  /** A box head with {@link BatchNorm#defaults()}. */
  public FastRcnnBoxHead(int numConvs, int numFilters, int numFcs, int fcDims, boolean useBatchNorm) {
    this(numConvs, numFilters, numFcs, fcDims, useBatchNorm, BatchNorm.defaults());
  }

  /** Class logits {@code [B, S, K + 1]} and class-specific deltas {@code [B, S, K + 1, 4]}. */
  public record Output(Operand<TFloat32> classLogits, Operand<TFloat32> boxDeltas) {}

  /**
   * @param ctx the box head's scope
   * @param roiFeatures {@code [B, S, P, P, C]} pooled features (static shape)
   * @param numClasses K (background excluded)
   */
  public Output build(GraphContext ctx, Operand<TFloat32> roiFeatures, int numClasses) {
    Ops tf = ctx.tf();
    BatchNorm bn = batchNorm;
    long[] s = roiFeatures.shape().asArray();
    Operand<TFloat32> x = tf.reshape(roiFeatures, tf.constant(new long[] {s[0] * s[1], s[2], s[3], s[4]}));
    for (int i = 1; i <= numConvs; i++) {
      x = Conv2d.of(numFilters, 3).withBias(!useBatchNorm).apply(ctx.scope("conv_" + i), x);
      if (useBatchNorm) x = bn.apply(ctx.scope("conv_" + i + "_bn"), x);
      x = tf.nn.relu(x);
    }
    long flat = x.shape().get(1) * x.shape().get(2) * x.shape().get(3);
    x = tf.reshape(x, tf.constant(new long[] {s[0] * s[1], flat}));
    for (int i = 1; i <= numFcs; i++) {
      x = Dense.of(fcDims).withBias(!useBatchNorm).withKernelInitializer(Initializers.heNormal())
          .apply(ctx.scope("fc_" + i), x);
      if (useBatchNorm) x = bn.apply(ctx.scope("fc_" + i + "_bn"), x);
      x = tf.nn.relu(x);
    }
    Operand<TFloat32> logits = Dense.of(numClasses + 1).withKernelInitializer(Initializers.normal(0.01f))
        .apply(ctx.scope("class_logits"), x);
    Operand<TFloat32> deltas = Dense.of((numClasses + 1) * 4).withKernelInitializer(Initializers.normal(0.001f))
        .apply(ctx.scope("box_deltas"), x);
    return new Output(
        tf.reshape(logits, tf.constant(new long[] {s[0], s[1], numClasses + 1})),
        tf.reshape(deltas, tf.constant(new long[] {s[0], s[1], numClasses + 1, 4})));
  }
}
