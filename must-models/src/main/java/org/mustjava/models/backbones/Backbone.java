package org.mustjava.models.backbones;

import java.util.SortedMap;
import org.mustjava.core.graph.GraphContext;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A feature extractor producing a multi-scale level map.
 *
 * <p>The level-map contract, shared by backbones, decoders and heads: a {@code SortedMap} from
 * pyramid level {@code l} to an NHWC feature map whose stride relative to the input image is
 * {@code 2^l} (rounded up for sizes that are not multiples: a level-l map has ceil(H / 2^l) rows).
 * Backbones return C-levels (ResNet: C2..C5), decoders P-levels (FPN: P2..P7). The graph must not
 * depend on the input size: height and width may be unknown until run time.
 */
public interface Backbone {
  /**
   * Builds the network on {@code images} [batch, height, width, 3] (float32, already normalised).
   *
   * @param ctx the backbone's own scope (the model passes {@code backbone}); the training flag of
   *     the context selects batch or moving BatchNorm statistics
   */
  SortedMap<Integer, Operand<TFloat32>> build(GraphContext ctx, Operand<TFloat32> images);

  /** Channels of each output level, known before building. */
  SortedMap<Integer, Integer> levelChannels();

  /**
   * The real stride of output level {@code level} relative to the input: {@code 2^level} under
   * the level-map contract. A backbone that keeps the conventional level keys at other strides
   * (ResNet's small-image stem: C2..C5 at strides 1..8) overrides this, and models refuse the
   * heads that need the contract (detection anchors and ROI level assignment are laid out in
   * {@code 2^level} pixels). Size-driven consumers (FPN's top-down resize, pixel heads resized to
   * the input, classification pooling) work at any stride.
   */
  default int levelStride(int level) {
    return 1 << level;
  }

  /** Whether every level {@code l} has stride {@code 2^l}, as the level-map contract says. */
  default boolean hasStandardStrides() {
    for (int level : levelChannels().keySet()) {
      if (levelStride(level) != 1 << level) return false;
    }
    return true;
  }
}
