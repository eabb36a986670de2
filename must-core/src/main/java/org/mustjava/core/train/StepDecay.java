package org.mustjava.core.train;

import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Piecewise-constant rate: {@code rate} until {@code boundaries[0]}, then multiplied by
 * {@code factor} at each boundary (e.g. 0.1 at 60% and 80% of training given as steps).
 */
@Configurable
public final class StepDecay implements LearningRateSchedule {
  private final double rate;
  private final long[] boundaries;
  private final double factor;

  public StepDecay(@Default("0.1") double rate, List<Long> boundaries, @Default("0.1") double factor) {
    if (!(rate >= 0) || !(factor > 0)) {
      throw new IllegalArgumentException("StepDecay needs rate >= 0 and factor > 0; got " + rate + ", " + factor);
    }
    this.rate = rate;
    this.factor = factor;
    this.boundaries = boundaries.stream().mapToLong(Number::longValue).toArray();
    for (int i = 1; i < this.boundaries.length; i++) {
      if (this.boundaries[i] <= this.boundaries[i - 1]) {
        throw new IllegalArgumentException("StepDecay.boundaries must increase: " + boundaries);
      }
    }
  }

  @Override
  public double valueAt(long step, long totalSteps) {
    double r = rate;
    for (long b : boundaries) if (step >= b) r *= factor;
    return r;
  }

  @Override
  public Operand<TFloat32> build(Ops tf, Operand<TInt64> step, long totalSteps) {
    Operand<TFloat32> r = tf.constant((float) rate);
    double value = rate;
    for (long b : boundaries) {
      value *= factor;
      r = tf.select(tf.math.greaterEqual(step, tf.constant(b)), tf.constant((float) value), r);
    }
    return r;
  }

  @Override
  public String toString() {
    return "StepDecay(rate=" + rate + ", boundaries=" + java.util.Arrays.toString(boundaries) + ", factor=" + factor + ")";
  }
}
