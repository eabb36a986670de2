package org.mustjava.core.train;

import java.util.List;
import java.util.Map;
import org.mustjava.core.graph.GraphContext;
import org.tensorflow.Operand;

/**
 * A trainable problem: inputs, model, losses and metrics (TF Model Garden's {@code Task}), written
 * against {@link GraphContext} so the engine needs to know nothing about models or data. A new task
 * is one implementation of this interface plus one config.
 *
 * <p>The {@link Trainer} calls {@link #buildInputs} once per mode, {@link #buildModel} once per
 * device tower (variables are shared by name), and feeds {@link #createMetrics()} with fetched
 * tensors during evaluation. {@link org.mustjava.core.export.SavedModelExporter} calls
 * {@link #servingInputs} and {@link #buildModel} in {@link Mode#PREDICT} to build the serving graph.
 */
public interface Task {
  /**
   * Builds the input batch for {@code mode}.
   *
   * <p>Resuming: for {@link Mode#TRAIN}, {@code startStep} is the number of steps already trained
   * (0 on a fresh start). A resumable task yields from batch {@code startStep} on of the same
   * deterministic stream (e.g. a seeded pipeline with {@code skip(startStep * batchSize)}), so that
   * a resumed run sees exactly the batches an uninterrupted run would. For {@link Mode#EVAL} the
   * inputs must end (OutOfRange) after one pass over the eval set; {@code startStep} is 0.
   */
  TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep);

  /**
   * Builds the model on {@code inputs} (for one device tower, a slice of the batch). In
   * {@link Mode#PREDICT} the inputs are those of {@link #servingInputs} and no labels exist.
   */
  ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode);

  /**
   * This task with relative file paths (data sets) resolved against {@code dir}, the run's model
   * directory; stages call it before training. The default has no files and returns itself.
   */
  default Task withBaseDirectory(java.nio.file.Path dir) {
    return this;
  }

  /**
   * A failure of a training or evaluation step, made to name its data where the task knows it (e.g.
   * a corrupt TFRecord: TensorFlow reports only a byte offset, the task can name the file); the
   * trainer passes every step failure through here. The default returns {@code failure}.
   */
  default RuntimeException explainFailure(RuntimeException failure) {
    return failure;
  }

  /** The metric accumulators of an evaluation; the evaluator resets them before each pass. */
  default List<EvalMetric> createMetrics() {
    return List.of();
  }

  /** Placeholders the exported model is fed with (by default none: the task is not exportable). */
  default Map<String, Operand<?>> servingInputs(GraphContext ctx) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " does not define serving inputs");
  }

  /**
   * Images for TensorBoard: name -> {@code [N, H, W, C]} tensor (C = 1 or 3; uint8, or float in
   * [0, 1]), e.g. the input image and the predicted segmentation rendered in colour. Built on the
   * training tower's inputs and outputs; fetched only on summary steps.
   */
  default Map<String, Operand<?>> summaryImages(
      GraphContext ctx, Map<String, Operand<?>> inputs, ModelOutputs outputs) {
    return Map.of();
  }
}
