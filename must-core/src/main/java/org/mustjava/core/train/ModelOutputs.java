package org.mustjava.core.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * What {@link Task#buildModel} returns.
 *
 * @param losses scalar loss per task (e.g. {@code classification}, {@code depth}), each already
 *     multiplied by its task weight, so the training objective is their sum plus weight decay; empty
 *     in {@link Mode#PREDICT}
 * @param predictions outputs grouped by head: {@code head -> name -> tensor} (e.g.
 *     {@code segmentation -> probabilities}), batch-major (dimension 0 = examples; evaluation drops
 *     padding rows along it); one serving signature is exported per head
 */
public record ModelOutputs(
    Map<String, Operand<TFloat32>> losses, Map<String, Map<String, Operand<?>>> predictions) {
  public ModelOutputs {
    losses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(losses));
    Map<String, Map<String, Operand<?>>> p = new LinkedHashMap<>();
    predictions.forEach((head, outs) -> p.put(head, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(outs))));
    predictions = java.util.Collections.unmodifiableMap(p);
  }

  /**
   * Predictions flattened to {@code head/name} keys, the names {@link EvalMetric#requiredTensors}
   * use (inputs are {@code inputs/key}).
   */
  public Map<String, Operand<?>> flatPredictions() {
    Map<String, Operand<?>> flat = new LinkedHashMap<>();
    predictions.forEach((head, outs) -> outs.forEach((name, t) -> flat.put(head + "/" + name, t)));
    return flat;
  }
}
