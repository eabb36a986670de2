package org.mustjava.core.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Learning rate as a function of the global step, built into the graph (so a resumed run continues
 * the curve) and also computable in Java (for logs and tests).
 */
public interface LearningRateSchedule {
  /** The rate at {@code step} (0-based: the rate used by the first update is {@code valueAt(0)}). */
  double valueAt(long step, long totalSteps);

  /** The same function as a graph op of {@code step}. */
  Operand<TFloat32> build(Ops tf, Operand<TInt64> step, long totalSteps);

  /** {@code step} as float32 (exact below 2^24 steps, far beyond any schedule here). */
  static Operand<TFloat32> floatStep(Ops tf, Operand<TInt64> step) {
    return tf.dtypes.cast(step, TFloat32.class);
  }
}
