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
}
