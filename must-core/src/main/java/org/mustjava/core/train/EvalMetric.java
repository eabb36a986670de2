package org.mustjava.core.train;

import java.util.List;
import java.util.Map;
import org.tensorflow.Tensor;

/**
 * A Java-side accumulator fed with fetched tensors, one eval batch at a time (Model Garden's
 * {@code aggregate_logs} / {@code reduce_aggregated_logs} as one object).
 *
 * <p>Tensor names: {@code inputs/<key>} for an input tensor (labels), {@code <head>/<name>} for a
 * prediction (see {@link ModelOutputs#flatPredictions()}).
 */
public interface EvalMetric {
  /** Prefix of this metric's results in {@code metrics.json} and TensorBoard, e.g. {@code segmentation}. */
  String name();

  /** The tensors {@link #update} needs. */
  List<String> requiredTensors();

  /** Adds one batch; {@code tensors} holds at least {@link #requiredTensors()}; do not close them. */
  void update(Map<String, Tensor> tensors);

  /** Results over everything seen since the last {@link #reset()}, e.g. {@code miou -> 0.53}. */
  Map<String, Double> result();

  void reset();
}
