package org.mustjava.core.train;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Linear warm-up from {@code warmupStartRate} to {@code rate} over {@code warmupSteps}, then cosine
 * decay to {@code finalRate} at the last step (the paper's fine-tuning schedule). The decay spans
 * the trainer's total steps, so one config serves the whole steps grid.
 */
@Configurable
public final class CosineDecay implements LearningRateSchedule {
  private final double rate;
  private final long warmupSteps;
  private final double warmupStartRate;
  private final double finalRate;

  public CosineDecay(@Default("0.1") double rate, @Default("0") long warmupSteps,
      @Default("0.0") double warmupStartRate, @Default("0.0") double finalRate) {
    if (!(rate >= 0) || warmupSteps < 0 || !(warmupStartRate >= 0) || !(finalRate >= 0)) {
      throw new IllegalArgumentException(
          "CosineDecay needs rate, warmupSteps, warmupStartRate, finalRate >= 0; got "
              + rate + ", " + warmupSteps + ", " + warmupStartRate + ", " + finalRate);
    }
    this.rate = rate;
    this.warmupSteps = warmupSteps;
    this.warmupStartRate = warmupStartRate;
    this.finalRate = finalRate;
  }

  @Override
  public double valueAt(long step, long totalSteps) {
    if (step < warmupSteps) {
      return warmupStartRate + (rate - warmupStartRate) * step / (double) warmupSteps;
    }
    double span = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (step - warmupSteps) / span);
    return finalRate + (rate - finalRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
  }

  @Override
  public Operand<TFloat32> build(Ops tf, Operand<TInt64> step, long totalSteps) {
    Operand<TFloat32> s = LearningRateSchedule.floatStep(tf, step);
    float span = Math.max(1, totalSteps - warmupSteps);
    Operand<TFloat32> progress =
        tf.math.minimum(
            tf.math.maximum(tf.math.div(tf.math.sub(s, tf.constant((float) warmupSteps)), tf.constant(span)),
                tf.constant(0f)),
            tf.constant(1f));
    Operand<TFloat32> cosine =
        tf.math.add(
            tf.constant((float) finalRate),
            tf.math.mul(
                tf.constant((float) ((rate - finalRate) * 0.5)),
                tf.math.add(tf.constant(1f), tf.math.cos(tf.math.mul(progress, tf.constant((float) Math.PI))))));
    if (warmupSteps == 0) return cosine;
    Operand<TFloat32> warm =
        tf.math.add(
            tf.constant((float) warmupStartRate),
            tf.math.mul(tf.constant((float) ((rate - warmupStartRate) / warmupSteps)), s));
    return tf.select(tf.math.less(s, tf.constant((float) warmupSteps)), warm, cosine);
  }

  @Override
  public String toString() {
    return "CosineDecay(rate=" + rate + ", warmupSteps=" + warmupSteps + ")";
  }
}
