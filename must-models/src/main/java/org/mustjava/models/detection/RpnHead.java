package org.mustjava.models.detection;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.layers.Conv2d;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Region proposal network head, shared by all pyramid levels: {@code numConvs} 3x3 convs
 * ({@code conv_<i>}, + ReLU) and two 1x1 convs giving per anchor an objectness logit
 * ({@code scores}) and 4 box deltas ({@code boxes}). Weights are shared across levels; with
 * {@code useBatchNorm} each level has its own BatchNorm after each conv ({@code conv_<i>_bn_p<l>},
 * Model Garden's choice for heads trained from scratch). Initialisation N(0, 0.01), as Detectron.
 *
 * <p>The paper's detector has 2 hidden convs (design.md, Fig. 3); Detectron and Model Garden
 * default to 1.
 */
public final class RpnHead {
  private final int numConvs;
  private final int numFilters;
  private final boolean useBatchNorm;
  private final BatchNorm batchNorm;

  public static RpnHead defaults() {
    return ConfigDefaults.create(RpnHead.class, Map.of());
  }

  /**
   * @param numConvs hidden 3x3 convs (2 in the paper)
   * @param numFilters their channels
   * @param useBatchNorm per-level BatchNorm after each hidden conv
   * @param batchNorm its settings (the configured {@code BatchNorm} unless bound here)
   */
  @Configurable("RpnHead")
  public RpnHead(@Default("2") int numConvs, @Default("256") int numFilters, @Default("True") boolean useBatchNorm,
      @Default("@BatchNorm()") BatchNorm batchNorm) {
    if (numConvs < 0 || numFilters < 1) {
      throw new IllegalArgumentException("RpnHead: numConvs must be >= 0 and numFilters >= 1, got " + numConvs + ", " + numFilters);
    }
    this.numConvs = numConvs;
    this.numFilters = numFilters;
    this.useBatchNorm = useBatchNorm;
    this.batchNorm = batchNorm;
  }

  /** An RPN head with {@link BatchNorm#defaults()}. */
  public RpnHead(int numConvs, int numFilters, boolean useBatchNorm) {
    this(numConvs, numFilters, useBatchNorm, BatchNorm.defaults());
  }

  /** Outputs per level: objectness logits {@code [B, H*W*A]} and deltas {@code [B, H*W*A, 4]}. */
  public record Output(Map<Integer, Operand<TFloat32>> scoreLogits, Map<Integer, Operand<TFloat32>> boxDeltas) {}

  /**
   * @param ctx the RPN's scope
   * @param features pyramid levels; levels minLevel..maxLevel are used
   * @param anchorsPerLocation A
   */
  public Output build(
      GraphContext ctx, SortedMap<Integer, Operand<TFloat32>> features, int minLevel, int maxLevel,
      int anchorsPerLocation) {
    Ops tf = ctx.tf();
    BatchNorm bn = batchNorm;
    Map<Integer, Operand<TFloat32>> scores = new LinkedHashMap<>();
    Map<Integer, Operand<TFloat32>> deltas = new LinkedHashMap<>();
    for (int level = minLevel; level <= maxLevel; level++) {
      Operand<TFloat32> x = features.get(level);
      if (x == null) {
        throw new IllegalArgumentException("RpnHead needs pyramid level " + level + "; features have " + features.keySet());
      }
      for (int i = 1; i <= numConvs; i++) {
        x = Conv2d.of(numFilters, 3).withBias(!useBatchNorm).withKernelInitializer(Initializers.normal(0.01f))
            .apply(ctx.scope("conv_" + i), x);
        if (useBatchNorm) x = bn.apply(ctx.scope("conv_" + i + "_bn_p" + level), x);
        x = tf.nn.relu(x);
      }
      Operand<TFloat32> s = Conv2d.of(anchorsPerLocation, 1).withKernelInitializer(Initializers.normal(0.01f))
          .apply(ctx.scope("scores"), x);
      Operand<TFloat32> d = Conv2d.of(anchorsPerLocation * 4, 1).withKernelInitializer(Initializers.normal(0.01f))
          .apply(ctx.scope("boxes"), x);
      long batch = s.shape().get(0);
      scores.put(level, tf.reshape(s, tf.constant(new long[] {batch, -1})));
      deltas.put(level, tf.reshape(d, tf.constant(new long[] {batch, -1, 4})));
    }
    return new Output(scores, deltas);
  }
}
