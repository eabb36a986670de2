package org.mustjava.core.train;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** A fixed learning rate. */
@Configurable
public final class ConstantLearningRate implements LearningRateSchedule {
  private final double rate;

  public ConstantLearningRate(@Default("0.1") double rate) {
    if (!(rate >= 0)) throw new IllegalArgumentException("ConstantLearningRate.rate must be >= 0: " + rate);
    this.rate = rate;
  }

  @Override
  public double valueAt(long step, long totalSteps) {
    return rate;
  }

  @Override
  public Operand<TFloat32> build(Ops tf, Operand<TInt64> step, long totalSteps) {
    return tf.constant((float) rate);
  }

  @Override
  public String toString() {
    return "ConstantLearningRate(" + rate + ")";
  }
}
