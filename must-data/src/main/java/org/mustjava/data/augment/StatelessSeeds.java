package org.mustjava.data.augment;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;

/**
 * Seeds for TensorFlow's stateless random ops. An element's seed is {@code [globalSeed, index]}, so
 * the random draws of an element depend only on the pipeline seed and the element's position in the
 * stream, never on thread scheduling or parallelism: a pipeline is reproducible for a fixed seed.
 */
public final class StatelessSeeds {
  private StatelessSeeds() {}

  /** The int64 {@code [2]} seed of the element at {@code index} (an int64 scalar). */
  public static Operand<TInt64> forElement(Ops tf, long globalSeed, Operand<TInt64> index) {
    return tf.stack(List.of(tf.constant(globalSeed), index));
  }
}
