package org.mustjava.core.train;

import java.util.Map;

/**
 * Stops training at the first NaN/Inf loss or gradient norm, or at a loss above {@code maxLoss}.
 *
 * <p>The check runs on the values fetched with each step, so it costs nothing extra. A finite loss
 * with a finite gradient norm gives a finite update at a finite learning rate; so when the guard
 * has passed every step up to a checkpoint, that checkpoint holds finite weights.
 */
public final class LossGuard {
  private final double maxLoss;

  /** @param maxLoss the bound for every task loss and the total ({@code +Infinity}: no bound) */
  public LossGuard(double maxLoss) {
    if (Double.isNaN(maxLoss) || maxLoss <= 0) throw new IllegalArgumentException("max_loss must be > 0: " + maxLoss);
    this.maxLoss = maxLoss;
  }

  /**
   * @param step the 1-based step just run
   * @param losses task losses and {@code total}
   * @param gradientNorm the global gradient norm of this step
   * @param lastGoodCheckpoint description of what a rerun resumes from, for the message
   * @throws LossDivergedException naming the step and the first bad task
   */
  public void check(long step, Map<String, Double> losses, double gradientNorm, String lastGoodCheckpoint) {
    for (Map.Entry<String, Double> e : losses.entrySet()) {
      double v = e.getValue();
      if (!Double.isFinite(v) || v > maxLoss) {
        String what = Double.isFinite(v) ? "is " + v + ", above the bound Trainer.max_loss = " + maxLoss : "is " + v;
        throw new LossDivergedException(step, e.getKey(), v,
            "training stopped at step " + step + ": loss of task '" + e.getKey() + "' " + what
                + " (all losses: " + losses + "). The state after this step was NOT saved; "
                + lastGoodCheckpoint + ". Lower the learning rate or check the inputs of this task.");
      }
    }
    if (!Double.isFinite(gradientNorm)) {
      throw new LossDivergedException(step, "gradient_norm", gradientNorm,
          "training stopped at step " + step + ": the gradient norm is " + gradientNorm
              + " although every loss is finite (" + losses + "). The state after this step was NOT saved; "
              + lastGoodCheckpoint + ".");
    }
  }
}
