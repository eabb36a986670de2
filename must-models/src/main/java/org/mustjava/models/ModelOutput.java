package org.mustjava.models;

import java.util.Map;
import org.mustjava.models.heads.HeadOutput;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What {@link MultiTaskModel#build} returns.
 *
 * @param features images and level maps the heads saw
 * @param heads each head's output by head name (predictions and unweighted losses)
 * @param weightedLosses each head's loss weight x the sum of its loss terms, by head name (empty
 *     without labels)
 * @param totalLoss sum of the weighted head losses (weight decay is the trainer's); {@code null}
 *     without labels
 */
public record ModelOutput(
    FeaturePyramid features,
    Map<String, HeadOutput> heads,
    Map<String, Operand<TFloat32>> weightedLosses,
    Operand<TFloat32> totalLoss) {
  public ModelOutput {
    heads = Map.copyOf(heads);
    weightedLosses = Map.copyOf(weightedLosses);
  }

  /** A head's named prediction, e.g. {@code prediction("segmentation", "classes")}. */
  public Operand<?> prediction(String head, String name) {
    HeadOutput out = heads.get(head);
    if (out == null) throw new IllegalArgumentException("no head '" + head + "'; heads: " + heads.keySet());
    Operand<?> p = out.predictions().get(name);
    if (p == null) {
      throw new IllegalArgumentException("head '" + head + "' has no prediction '" + name + "'; it has "
          + out.predictions().keySet());
    }
    return p;
  }
}
