package org.mustjava.models.decoders;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.layers.Conv2d;
import org.mustjava.models.layers.Padding;
import org.mustjava.models.layers.Resize;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Feature Pyramid Network (Lin et al. 2017) on backbone levels C_min..C_max, producing P_min..P_max
 * with the same number of channels at every level.
 *
 * <ul>
 *   <li>lateral: 1x1 conv of each backbone level ({@code lateral_<l>});
 *   <li>top-down: from the coarsest backbone level down, the coarser merged map is upsampled by
 *       nearest neighbour to the finer lateral's size and added;
 *   <li>output: a 3x3 conv on every merged map ({@code output_<l>});
 *   <li>extra levels above the backbone's coarsest: stride-2 3x3 convs, the first on P_max(backbone),
 *       the next ones on ReLU of the previous extra level (RetinaNet/Model Garden convention);
 *   <li>optionally BatchNorm on every output level ({@code norm_<l>}), as TF Model Garden does; the
 *       original FPN has none.
 * </ul>
 * Variable names below the caller's scope ({@code fpn} in a model): {@code lateral_3/kernel},
 * {@code output_3/bias}, {@code norm_3/gamma}, ...
 */
public final class FPN {
  private final int minLevel;
  private final int maxLevel;
  private final int numFilters;
  private final boolean useBatchNorm;
  private final BatchNorm batchNorm;

  /**
   * @param minLevel finest output level (2 in the paper)
   * @param maxLevel coarsest output level (7 in the paper); levels above the backbone's are extra
   * @param numFilters channels of every output level (256)
   * @param useBatchNorm BatchNorm after each output conv
   * @param bnMomentum BatchNorm momentum
   * @param bnEpsilon BatchNorm epsilon
   * @param freezeBatchNorm frozen BatchNorm (moving statistics, fixed affine)
   */
  @Configurable("FPN")
  public FPN(@Default("2") int minLevel, @Default("7") int maxLevel, @Default("256") int numFilters,
      @Default("True") boolean useBatchNorm, @Default("" + BatchNorm.DEFAULT_MOMENTUM) double bnMomentum,
      @Default("" + BatchNorm.DEFAULT_EPSILON) double bnEpsilon, @Default("False") boolean freezeBatchNorm) {
    this(minLevel, maxLevel, numFilters, useBatchNorm, BatchNorm.of((float) bnMomentum, (float) bnEpsilon, freezeBatchNorm));
  }

  private FPN(int minLevel, int maxLevel, int numFilters, boolean useBatchNorm, BatchNorm batchNorm) {
    if (minLevel < 1 || maxLevel < minLevel) {
      throw new IllegalArgumentException(
          "FPN levels must satisfy 1 <= min_level <= max_level, got min_level=" + minLevel + " max_level=" + maxLevel);
    }
    if (numFilters <= 0) throw new IllegalArgumentException("FPN.num_filters must be positive, got " + numFilters);
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.numFilters = numFilters;
    this.useBatchNorm = useBatchNorm;
    this.batchNorm = batchNorm;
  }

  /** The paper's FPN: P2..P7, 256 channels, BatchNorm with default settings. */
  public static FPN standard() {
    return of(2, 7, 256);
  }

  /** An FPN with BatchNorm ({@link BatchNorm#defaults()}) on every output level. */
  public static FPN of(int minLevel, int maxLevel, int numFilters) {
    return new FPN(minLevel, maxLevel, numFilters, true, BatchNorm.defaults());
  }

  public int minLevel() {
    return minLevel;
  }

  public int maxLevel() {
    return maxLevel;
  }

  public int numFilters() {
    return numFilters;
  }

  /**
   * Builds P_min..P_max from a backbone level map that contains at least C_min..C_k for some
   * k >= min (levels above k are produced by extra convs).
   *
   * @param ctx the decoder's own scope ({@code fpn} in a model)
   */
  public SortedMap<Integer, Operand<TFloat32>> build(GraphContext ctx, SortedMap<Integer, Operand<TFloat32>> backbone) {
    int backboneMax = Math.min(backbone.lastKey(), maxLevel);
    for (int l = minLevel; l <= backboneMax; l++) {
      if (!backbone.containsKey(l)) {
        throw new IllegalArgumentException("FPN needs backbone level " + l + " (min_level " + minLevel
            + "), the backbone provides " + backbone.keySet());
      }
    }
    Ops tf = ctx.tf();
    // Top-down pathway over the lateral projections.
    SortedMap<Integer, Operand<TFloat32>> merged = new TreeMap<>();
    Operand<TFloat32> coarser = null;
    for (int l = backboneMax; l >= minLevel; l--) {
      Operand<TFloat32> lateral = Conv2d.of(numFilters, 1).apply(ctx.scope("lateral_" + l), backbone.get(l));
      if (coarser != null) lateral = tf.math.add(lateral, Resize.nearestLike(tf, coarser, lateral));
      merged.put(l, lateral);
      coarser = lateral;
    }
    SortedMap<Integer, Operand<TFloat32>> out = new TreeMap<>();
    for (int l = minLevel; l <= backboneMax; l++) {
      out.put(l, Conv2d.of(numFilters, 3).apply(ctx.scope("output_" + l), merged.get(l)));
    }
    for (int l = backboneMax + 1; l <= maxLevel; l++) {
      Operand<TFloat32> in = l == backboneMax + 1 ? out.get(l - 1) : tf.nn.relu(out.get(l - 1));
      out.put(l, Conv2d.of(numFilters, 3).withStride(2).withPadding(Padding.FIXED)
          .apply(ctx.scope("output_" + l), in));
    }
    if (useBatchNorm) {
      for (int l = minLevel; l <= maxLevel; l++) out.put(l, batchNorm.apply(ctx.scope("norm_" + l), out.get(l)));
    }
    return Collections.unmodifiableSortedMap(out);
  }

  /**
   * "Fused P2" (paper Fig. 3): every level resized (bilinear) to the finest level's size and summed.
   * Has no variables. The finest level of the map is used (P2 with the paper's settings).
   */
  public static Operand<TFloat32> fuseToFinest(Ops tf, SortedMap<Integer, Operand<TFloat32>> levels) {
    Operand<TFloat32> finest = levels.get(levels.firstKey());
    Operand<TFloat32> sum = finest;
    for (var e : levels.tailMap(levels.firstKey() + 1).entrySet()) {
      sum = tf.math.add(sum, Resize.bilinearLike(tf, e.getValue(), finest));
    }
    return sum;
  }

  @Override
  public String toString() {
    return "FPN(P" + minLevel + "..P" + maxLevel + ", " + numFilters + ")";
  }
}
