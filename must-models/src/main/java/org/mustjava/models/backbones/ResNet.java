package org.mustjava.models.backbones;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.layers.Activations;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.layers.Conv2d;
import org.mustjava.models.layers.Padding;
import org.mustjava.models.layers.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * ResNet v1 (He et al. 2016) with the stride on the 3x3 convolution of bottleneck blocks ("v1.5",
 * as in torchvision and TF Model Garden), BatchNorm after every convolution, and a width
 * multiplier for small models.
 *
 * <p>Outputs C2..C5 (strides 4, 8, 16, 32). Channels are {64, 128, 256, 512} x width for basic-block
 * depths (18, 34) and 4x that for bottleneck depths (50, 101, 152, 200).
 *
 * <p>Variable names (below the scope the caller passes, {@code backbone} in a model):
 * {@code stem/conv/kernel}, {@code stem/bn/...}, {@code stage<s>/block<b>/conv<i>/kernel},
 * {@code stage<s>/block<b>/bn<i>/...}, {@code stage<s>/block<b>/shortcut/{conv,bn}/...}, with
 * stages 1..4 (producing C2..C5) and blocks numbered from 1; e.g. ResNet-152 has
 * {@code backbone/stage3/block36/conv2/kernel}.
 *
 * <p>Strided convolutions use {@link Padding#FIXED} (symmetric explicit padding), so feature
 * grids do not depend on input parity; the stem max-pool uses SAME.
 *
 * <p>Stems: {@code 'imagenet'} (default) is the 7x7 stride-2 convolution and 3x3 stride-2 max-pool;
 * {@code 'cifar'} is the small-image stem of He et al.'s CIFAR experiments and SimCLR's CIFAR
 * variant: one 3x3 stride-1 convolution, no max-pool (same variable names, kernel 3x3). It keeps
 * the 4x resolution the ImageNet stem throws away, so C2..C5 have strides 1, 2, 4, 8 instead of 4,
 * 8, 16, 32. The level keys stay 2..5 (so an FPN, its variable names and the heads' configs do not
 * change with the stem) and {@link #levelStride} reports the real strides; consumers that place
 * things by stride (detection anchors) must ask it, see {@link Backbone#levelStride}.
 */
public final class ResNet implements Backbone {
  /** Block type and blocks per stage of each supported depth. */
  private static final Map<Integer, int[]> BLOCKS = Map.of(
      18, new int[] {2, 2, 2, 2},
      34, new int[] {3, 4, 6, 3},
      50, new int[] {3, 4, 6, 3},
      101, new int[] {3, 4, 23, 3},
      152, new int[] {3, 8, 36, 3},
      200, new int[] {3, 24, 36, 3});

  private static final int[] BASE_FILTERS = {64, 128, 256, 512};

  private final int depth;
  private final double widthMultiplier;
  private final BatchNorm batchNorm;
  private final boolean zeroInitResidual;
  private final Stem stem;

  /** The stem: what happens before stage 1. */
  public enum Stem {
    /** 7x7 stride-2 conv + BN + ReLU + 3x3 stride-2 max-pool: C2..C5 at strides 4..32. */
    IMAGENET,
    /** 3x3 stride-1 conv + BN + ReLU, no pool: C2..C5 at strides 1..8 (32-64 px images). */
    CIFAR;

    static Stem parse(String name) {
      for (Stem s : values()) {
        if (s.name().equalsIgnoreCase(name)) return s;
      }
      throw new IllegalArgumentException("ResNet.stem must be 'imagenet' or 'cifar', got '" + name + "'");
    }

    /** log2 of the stem's downsampling: 2 (ImageNet) or 0 (CIFAR). */
    int log2Downsampling() {
      return this == IMAGENET ? 2 : 0;
    }
  }

  /**
   * @param depth 18, 34 (basic blocks), 50, 101, 152, 200 (bottleneck blocks)
   * @param widthMultiplier scales every convolution's filter count (rounded, at least 1)
   * @param bnMomentum BatchNorm moving-average momentum (e.g. 0.99)
   * @param bnEpsilon BatchNorm epsilon (e.g. 1e-3)
   * @param freezeBatchNorm use moving statistics and fixed affine parameters everywhere (fine-tuning)
   * @param zeroInitResidual initialise the last BN gamma of every residual branch to zero
   * @param stem {@code 'imagenet'} or {@code 'cifar'} (see the class comment)
   */
  @Configurable("ResNet")
  public ResNet(int depth, @Default("1.0") double widthMultiplier,
      @Default("" + BatchNorm.DEFAULT_MOMENTUM) double bnMomentum,
      @Default("" + BatchNorm.DEFAULT_EPSILON) double bnEpsilon, @Default("False") boolean freezeBatchNorm,
      @Default("False") boolean zeroInitResidual, @Default("'imagenet'") String stem) {
    this(depth, widthMultiplier, BatchNorm.of((float) bnMomentum, (float) bnEpsilon, freezeBatchNorm),
        zeroInitResidual, Stem.parse(stem));
  }

  private ResNet(int depth, double widthMultiplier, BatchNorm batchNorm, boolean zeroInitResidual, Stem stem) {
    if (!BLOCKS.containsKey(depth)) {
      throw new IllegalArgumentException(
          "ResNet.depth must be one of 18, 34, 50, 101, 152, 200, got " + depth);
    }
    if (!(widthMultiplier > 0)) {
      throw new IllegalArgumentException("ResNet.width_multiplier must be > 0, got " + widthMultiplier);
    }
    this.depth = depth;
    this.widthMultiplier = widthMultiplier;
    this.batchNorm = batchNorm;
    this.zeroInitResidual = zeroInitResidual;
    this.stem = stem;
  }

  /** A ResNet with the ImageNet stem. */
  public ResNet(int depth, double widthMultiplier, double bnMomentum, double bnEpsilon,
      boolean freezeBatchNorm, boolean zeroInitResidual) {
    this(depth, widthMultiplier, bnMomentum, bnEpsilon, freezeBatchNorm, zeroInitResidual, "imagenet");
  }

  /** ResNet of the given depth and width with {@link BatchNorm#defaults()} and the ImageNet stem. */
  public static ResNet of(int depth, double widthMultiplier) {
    return new ResNet(depth, widthMultiplier, BatchNorm.defaults(), false, Stem.IMAGENET);
  }

  public int depth() {
    return depth;
  }

  public Stem stem() {
    return stem;
  }

  /** Stride of C{@code level} relative to the input: {@code 2^level}, or {@code 2^(level - 2)} with the CIFAR stem. */
  @Override
  public int levelStride(int level) {
    return 1 << (level - 2 + stem.log2Downsampling());
  }

  public boolean bottleneck() {
    return depth >= 50;
  }

  private int scaled(int filters) {
    return Math.max(1, (int) Math.round(filters * widthMultiplier));
  }

  @Override
  public SortedMap<Integer, Integer> levelChannels() {
    SortedMap<Integer, Integer> channels = new TreeMap<>();
    for (int s = 0; s < 4; s++) {
      channels.put(s + 2, scaled(BASE_FILTERS[s]) * (bottleneck() ? BottleneckBlock.EXPANSION : 1));
    }
    return Collections.unmodifiableSortedMap(channels);
  }

  @Override
  public SortedMap<Integer, Operand<TFloat32>> build(GraphContext ctx, Operand<TFloat32> images) {
    if (images.shape().numDimensions() != 4 || images.shape().get(3) != 3) {
      throw new IllegalArgumentException("ResNet expects images [batch, height, width, 3], got " + images.shape());
    }
    GraphContext stem = ctx.scope("stem");
    Ops tf = stem.tf();
    Operand<TFloat32> x;
    if (this.stem == Stem.IMAGENET) {
      x = Conv2d.of(scaled(64), 7).withStride(2).withPadding(Padding.FIXED).withBias(false)
          .apply(stem.scope("conv"), images);
      x = Activations.relu(tf, batchNorm.apply(stem.scope("bn"), x));
      x = Pooling.maxPool(tf, x, 3, 2, Padding.SAME);
    } else {
      x = Conv2d.of(scaled(64), 3).withBias(false).apply(stem.scope("conv"), images);
      x = Activations.relu(tf, batchNorm.apply(stem.scope("bn"), x));
    }

    SortedMap<Integer, Operand<TFloat32>> levels = new TreeMap<>();
    int[] blocks = BLOCKS.get(depth);
    for (int s = 0; s < 4; s++) {
      GraphContext stage = ctx.scope("stage" + (s + 1));
      int filters = scaled(BASE_FILTERS[s]);
      for (int b = 0; b < blocks[s]; b++) {
        int stride = (b == 0 && s > 0) ? 2 : 1;
        GraphContext block = stage.scope("block" + (b + 1));
        x = bottleneck()
            ? BottleneckBlock.apply(block, x, filters, stride, batchNorm, zeroInitResidual)
            : BasicBlock.apply(block, x, filters, stride, batchNorm, zeroInitResidual);
      }
      levels.put(s + 2, x);
    }
    return Collections.unmodifiableSortedMap(levels);
  }

  @Override
  public String toString() {
    return "ResNet-" + depth + (widthMultiplier != 1.0 ? " x" + widthMultiplier : "")
        + (stem == Stem.CIFAR ? " (cifar stem)" : "");
  }
}
