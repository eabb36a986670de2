package org.mustjava.models.heads;

import java.util.Map;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.FeaturePyramid;
import org.tensorflow.Operand;

/**
 * One task's head: builds predictions from the shared features and, when labels are given, the
 * task's losses. Losses are built inside the head because some tasks need labels to build the
 * graph (detection samples targets from ground-truth boxes).
 *
 * <p>Label keys are the input pipeline's ({@link LabelKeys}). Images of a batch have the same size.
 */
public interface TaskHead {
  /** The task name: the key of this head's outputs and its variable scope {@code heads/<name>}. */
  String name();

  /**
   * Builds the head.
   *
   * @param ctx the head's own scope ({@code heads/<name>}); its training flag says train or eval
   * @param features images, backbone and decoder levels
   * @param labels the batch's label tensors by key, or {@code null} at inference (then
   *     {@link HeadOutput#losses()} is empty)
   */
  HeadOutput build(GraphContext ctx, FeaturePyramid features, Map<String, Operand<?>> labels);

  /** Whether the head needs a static batch size (e.g. per-image NMS); tasks then pad batches. */
  default boolean needsStaticBatch() {
    return false;
  }
}
