package org.mustjava.core.train;

/**
 * Training stopped because a loss (or the gradient norm) became NaN/Inf or exceeded the configured
 * bound. The bad state is not checkpointed; the latest checkpoint is the last good one.
 */
public final class LossDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final long step;
  private final String task;
  private final double value;

  public LossDivergedException(long step, String task, double value, String why) {
    super(why);
    this.step = step;
    this.task = task;
    this.value = value;
  }

  /** The 1-based step whose loss was bad. */
  public long step() {
    return step;
  }

  /** The offending task loss, {@code total}, or {@code gradient_norm}. */
  public String task() {
    return task;
  }

  public double value() {
    return value;
  }
}
