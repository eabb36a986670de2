package org.mustjava.experiments.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Times a repeated step: {@code warmupSteps} untimed calls (the first session runs allocate
 * memory and let TensorFlow pick kernels), then timed calls until at least {@code minSteps} calls
 * and {@code minSeconds} of wall time have passed.
 *
 * <p>The machine the benchmarks run on is shared, so its load drifts during a run. To compare two
 * ways of running the same step (e.g. input from constants and from the pipeline) under the same
 * load, {@link #alternate} times them in interleaved blocks.
 */
public record StepTimer(int warmupSteps, int minSteps, double minSeconds) {
  public StepTimer {
    if (warmupSteps < 0 || minSteps < 1 || !(minSeconds >= 0)) {
      throw new IllegalArgumentException("StepTimer needs warmupSteps >= 0, minSteps >= 1, minSeconds >= 0; got "
          + warmupSteps + ", " + minSteps + ", " + minSeconds);
    }
  }

  /** Warm-up, then one timed block of at least {@code minSteps} calls and {@code minSeconds}. */
  public Timing time(Runnable step) {
    warmUp(step);
    return block(step, minSteps, minSeconds);
  }

  /**
   * Warms up every step, then times them in {@code rounds} rounds of blocks A, B, ..., A, B, ...;
   * each block lasts at least {@code ceil(minSteps / rounds)} calls and {@code minSeconds / rounds}
   * seconds, so each step gets in total at least {@code minSteps} calls and {@code minSeconds}.
   *
   * @return the summed timing of each step, in the order given
   */
  public List<Timing> alternate(int rounds, List<Runnable> steps) {
    if (rounds < 1) throw new IllegalArgumentException("rounds must be >= 1: " + rounds);
    steps.forEach(this::warmUp);
    int blockSteps = (minSteps + rounds - 1) / rounds;
    double blockSeconds = minSeconds / rounds;
    List<Timing> totals = new ArrayList<>();
    steps.forEach(s -> totals.add(new Timing(0, 0, 0)));
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < steps.size(); i++) {
        totals.set(i, totals.get(i).plus(block(steps.get(i), blockSteps, blockSeconds)));
      }
    }
    return totals;
  }

  private void warmUp(Runnable step) {
    for (int i = 0; i < warmupSteps; i++) step.run();
  }

  private static Timing block(Runnable step, int minCalls, double minSecs) {
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    int calls = 0;
    while (calls < minCalls || System.nanoTime() - start < minSecs * 1e9) {
      step.run();
      calls++;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long cpuEnd = processCpuNanos();
    return new Timing(calls, seconds, cpuStart < 0 || cpuEnd < 0 ? Double.NaN : (cpuEnd - cpuStart) / 1e9);
  }

  /** CPU time of the whole process (all threads, native ones included), or -1 if unsupported. */
  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
