package org.mustjava.experiments.bench;

/**
 * The result of timing a repeated step: how many calls were timed and how long they took.
 *
 * <p>On a shared machine wall time depends on what else runs; the CPU time the process used
 * (every thread, TensorFlow's included) depends much less on it, so it is recorded as well.
 *
 * @param steps timed calls (warm-up calls excluded)
 * @param seconds wall time of those calls
 * @param cpuSeconds CPU time of the whole process during those calls, or {@code NaN} if unknown
 */
public record Timing(int steps, double seconds, double cpuSeconds) {
  public Timing {
    if (steps < 0 || !(seconds >= 0)) {
      throw new IllegalArgumentException("invalid timing: " + steps + " steps in " + seconds + " s");
    }
  }

  /** The sum of two timings of the same step (e.g. several alternating blocks). */
  public Timing plus(Timing other) {
    return new Timing(steps + other.steps, seconds + other.seconds, cpuSeconds + other.cpuSeconds);
  }

  /** Process CPU seconds per item when each call processes {@code itemsPerStep} items. */
  public double cpuSecondsPer(int itemsPerStep) {
    return cpuSeconds / (steps * (double) itemsPerStep);
  }

  /** Seconds per call. */
  public double secondsPerStep() {
    return seconds / steps;
  }

  /** Throughput when each call processes {@code itemsPerStep} items (e.g. the batch size). */
  public double perSecond(int itemsPerStep) {
    return steps * (double) itemsPerStep / seconds;
  }
}
