package org.mustjava.models.heads;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What a head builds.
 *
 * @param predictions named prediction tensors (e.g. {@code logits}, {@code probabilities})
 * @param losses named scalar loss terms, unweighted; empty when no labels were given. The model
 *     sums them and multiplies by the head's loss weight.
 */
public record HeadOutput(Map<String, Operand<?>> predictions, Map<String, Operand<TFloat32>> losses) {
  public HeadOutput {
    predictions = Map.copyOf(predictions);
    losses = Map.copyOf(losses);
  }
}
