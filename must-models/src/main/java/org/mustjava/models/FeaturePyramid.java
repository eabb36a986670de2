package org.mustjava.models;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.layers.Resize;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * What heads see: the input images, the backbone's C-levels, the decoder's P-levels (empty
 * without a decoder) and, computed once on first use, the fused finest level (fused P2).
 * Level maps follow the {@link org.mustjava.models.backbones.Backbone} contract.
 */
public final class FeaturePyramid {
  private final Operand<TFloat32> images;
  private final SortedMap<Integer, Operand<TFloat32>> backboneLevels;
  private final SortedMap<Integer, Operand<TFloat32>> decoderLevels;
  private final Ops fusionOps;
  private Operand<TFloat32> fused;
  private Operand<TInt32> imageSize;

  /**
   * @param fusionOps where the fused-P2 ops go (the model uses the decoder's scope)
   */
  public FeaturePyramid(Operand<TFloat32> images, SortedMap<Integer, Operand<TFloat32>> backboneLevels,
      SortedMap<Integer, Operand<TFloat32>> decoderLevels, Ops fusionOps) {
    this.images = images;
    this.backboneLevels = Collections.unmodifiableSortedMap(new TreeMap<>(backboneLevels));
    this.decoderLevels = Collections.unmodifiableSortedMap(new TreeMap<>(decoderLevels));
    this.fusionOps = fusionOps;
  }

  /** The model input, [batch, height, width, 3]. */
  public Operand<TFloat32> images() {
    return images;
  }

  /** [height, width] of the input images (int32; static when the input shape is). */
  public synchronized Operand<TInt32> imageSize() {
    if (imageSize == null) imageSize = Resize.spatialSize(fusionOps, images);
    return imageSize;
  }

  /** C-levels, e.g. 2..5 for ResNet. */
  public SortedMap<Integer, Operand<TFloat32>> backboneLevels() {
    return backboneLevels;
  }

  /** P-levels, e.g. 2..7 for the paper's FPN; empty when the model has no decoder. */
  public SortedMap<Integer, Operand<TFloat32>> decoderLevels() {
    return decoderLevels;
  }

  public boolean hasDecoder() {
    return !decoderLevels.isEmpty();
  }

  /**
   * Every decoder level resized to the finest one and summed ("fused P2"); built once and shared
   * by all pixel heads.
   *
   * @throws IllegalStateException without a decoder (backbone levels have different widths)
   */
  public synchronized Operand<TFloat32> fusedFinest() {
    if (!hasDecoder()) {
      throw new IllegalStateException("pixel heads need a decoder (e.g. FPN): the model has none");
    }
    if (fused == null) fused = FPN.fuseToFinest(fusionOps.withSubScope("fused"), decoderLevels);
    return fused;
  }
}
