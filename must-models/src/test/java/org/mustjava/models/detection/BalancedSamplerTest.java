package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;

class BalancedSamplerTest {

  /** Row 0: 300 positives and 700 negatives; row 1: 10 positives; row 2: no positives, 100 negatives. */
  private static boolean[][][] masks() {
    int n = 1000;
    boolean[][] pos = new boolean[3][n];
    boolean[][] neg = new boolean[3][n];
    for (int i = 0; i < n; i++) {
      pos[0][i] = i % 10 < 3;
      neg[0][i] = !pos[0][i];
      pos[1][i] = i < 10;
      neg[1][i] = i >= 500;
      neg[2][i] = i % 10 == 0;
    }
    return new boolean[][][] {pos, neg};
  }

  @Test
  void sampleSizesFractionsAndSubsets() {
    boolean[][][] m = masks();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var sample = new BalancedSampler(256, 0.5f)
          .sample(tf, tf.constant(m[0]), tf.constant(m[1]), tf.constant(new long[] {1, 2}));
      var v = GraphTestSupport.run(s, sample.positive(), sample.negative());
      int[][] expected = {{128, 128}, {10, 246}, {0, 100}};
      for (int b = 0; b < 3; b++) {
        int p = 0;
        int q = 0;
        for (int i = 0; i < 1000; i++) {
          boolean sp = v.get(0).b(b, i);
          boolean sn = v.get(1).b(b, i);
          if (sp) assertTrue(m[0][b][i], "sampled positive must be eligible");
          if (sn) assertTrue(m[1][b][i], "sampled negative must be eligible");
          p += sp ? 1 : 0;
          q += sn ? 1 : 0;
        }
        assertEquals(expected[b][0], p, "positives in row " + b);
        assertEquals(expected[b][1], q, "negatives in row " + b);
      }
    }
  }

  @Test
  void deterministicPerSeedAndUniformAcrossSeeds() {
    boolean[][][] m = masks();
    int seeds = 200;
    int[] counts = new int[1000];
    boolean[] first = null;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var seed = tf.placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      var sample = new BalancedSampler(256, 0.5f).sample(tf, tf.constant(m[0]), tf.constant(m[1]), seed);
      for (int k = 0; k < seeds; k++) {
        boolean[] chosen;
        try (TInt64 seedValue = TInt64.vectorOf(7, k);
            var r = s.runner().feed(seed, seedValue).fetch(sample.positive()).run()) {
          chosen = GraphTestSupport.toValue(r.get(0)).bools();
        }
        if (k == 0) {
          first = chosen;
          try (TInt64 again = TInt64.vectorOf(7, 0);
              var r = s.runner().feed(seed, again).fetch(sample.positive()).run()) {
            assertTrue(Arrays.equals(first, GraphTestSupport.toValue(r.get(0)).bools()), "same seed, same sample");
          }
        } else if (k == 1) {
          assertFalse(Arrays.equals(first, chosen), "another seed, another sample");
        }
        for (int i = 0; i < 1000; i++) counts[i] += chosen[i] ? 1 : 0;
      }
    }
    // Row 0: each of the 300 positives is drawn with probability 128/300 per seed; mean 85.3,
    // binomial sd 7.0 over 200 seeds. Every count within 6 sd, and no position bias between halves.
    double p = 128.0 / 300;
    double mean = seeds * p;
    double sd = Math.sqrt(seeds * p * (1 - p));
    long firstHalf = 0;
    long secondHalf = 0;
    for (int i = 0; i < 1000; i++) {
      if (!m[0][0][i]) {
        assertEquals(0, counts[i]);
        continue;
      }
      assertTrue(Math.abs(counts[i] - mean) < 6 * sd, "positive " + i + " drawn " + counts[i] + " times");
      if (i < 500) firstHalf += counts[i]; else secondHalf += counts[i];
    }
    assertEquals(firstHalf + secondHalf, 128L * seeds);
    // Halves have 150 positives each: difference of sums has sd ~ sqrt(2 * 150) * 7 ~ 121.
    assertTrue(Math.abs(firstHalf - secondHalf) < 600, firstHalf + " vs " + secondHalf);
    assertNotEquals(0, firstHalf);
  }
}
