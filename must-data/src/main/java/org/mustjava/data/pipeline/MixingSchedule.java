package org.mustjava.data.pipeline;

import java.util.SplittableRandom;

/**
 * Which source each element of a mixed training stream comes from: element {@code k} takes the
 * next element of source {@code pattern[k mod PERIOD]}, where the pattern is {@value #PERIOD}
 * independent uniform draws from a seeded generator (tf.data's {@code sample_from_datasets} with
 * equal weights, made periodic). Being a fixed table, it lets a resumed run compute in Java how
 * many elements of each source the first {@code n} elements used ({@link #countsBefore}), so every
 * source skips exactly its share and the resumed stream equals the uninterrupted one. A period of
 * 4096 draws keeps the per-batch mix random (the same pattern recurring every 4096 examples does
 * not repeat any data: each source is its own shuffled stream).
 */
final class MixingSchedule {
  static final int PERIOD = 4096;

  private final long[] pattern;
  private final int sources;

  MixingSchedule(int sources, long seed) {
    if (sources < 1) {
      throw new IllegalArgumentException("a mixing schedule needs at least one source, got " + sources);
    }
    this.sources = sources;
    SplittableRandom random = new SplittableRandom(seed);
    pattern = new long[PERIOD];
    for (int k = 0; k < PERIOD; k++) {
      pattern[k] = random.nextInt(sources);
    }
  }

  /** The source indices of one period. */
  long[] pattern() {
    return pattern.clone();
  }

  /** How many of the first {@code n} elements come from each source. */
  long[] countsBefore(long n) {
    long[] perPeriod = new long[sources];
    for (long s : pattern) {
      perPeriod[(int) s]++;
    }
    long periods = n / PERIOD;
    long[] counts = new long[sources];
    for (int i = 0; i < sources; i++) {
      counts[i] = periods * perPeriod[i];
    }
    for (int k = 0; k < n % PERIOD; k++) {
      counts[(int) pattern[k]]++;
    }
    return counts;
  }
}
