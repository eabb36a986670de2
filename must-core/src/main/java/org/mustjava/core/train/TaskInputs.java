package org.mustjava.core.train;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;

/**
 * One batch of named input tensors as built by {@link Task#buildInputs}.
 *
 * @param tensors the batch, e.g. {@code image}, {@code class_label}; dimension 0 is the batch
 * @param initializers ops to run before reading (e.g. {@code MakeIterator}); the evaluator runs them
 *     again before every pass over the eval set
 * @param batchSize the global batch size (examples per step), for images/s and for splitting the
 *     batch across devices
 * @param iterator the training input's tf.data iterator resource, or {@code null}: when given, the
 *     trainer saves its position with every checkpoint and a resumed run restores it instead of
 *     skipping {@code startStep x batchSize} examples ({@link
 *     org.mustjava.core.checkpoint.IteratorState})
 */
public record TaskInputs(Map<String, Operand<?>> tensors, List<Op> initializers, int batchSize, Operand<?> iterator) {
  /**
   * Optional input: float32 (or bool) {@code [B]}, nonzero for a real example, zero for a row that
   * only pads a batch to its static size (the last eval batch). The eval graph drops the zero rows
   * from every batch-major eval tensor before metrics see them (see {@link TrainingGraph}); losses
   * must ignore them themselves (padding rows carry "no label" values).
   */
  public static final String EXAMPLE_VALID = "example_valid";

  /**
   * Optional input: int64 {@code [B]}, the number of corrupt input records skipped just before each
   * example (a pipeline that skips corrupt data instead of failing). The trainer sums it over the
   * steps and reports the total; the evaluator reports it per pass as metric {@link
   * Evaluator#CORRUPT_RECORDS_SKIPPED}.
   */
  public static final String CORRUPT_RECORDS_SKIPPED = "corrupt_records_skipped";

  public TaskInputs {
    tensors = Map.copyOf(Objects.requireNonNull(tensors, "tensors"));
    initializers = List.copyOf(initializers);
    if (batchSize <= 0) throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
  }

  /** Inputs without a savable iterator (a resumed run skips to its step). */
  public TaskInputs(Map<String, Operand<?>> tensors, List<Op> initializers, int batchSize) {
    this(tensors, initializers, batchSize, null);
  }

  /** The tensor called {@code key}; the error lists the keys there are. */
  public Operand<?> get(String key) {
    Operand<?> t = tensors.get(key);
    if (t == null) {
      throw new IllegalArgumentException(
          "input '" + key + "' is not in the batch; it has " + new java.util.TreeSet<>(tensors.keySet()));
    }
    return t;
  }
}
