package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class BoxMatcherTest {

  @Test
  void thresholdsLowQualityMatchesAndPadding() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // 5 candidates x 3 ground truths (the last one is padding with a large IoU that must be ignored).
      var iou = tf.constant(new float[][][] {{
          {0.8f, 0.1f, 0.9f}, // positive, matched to gt 0
          {0.5f, 0.0f, 0.9f}, // ignored (0.3 <= 0.5 < 0.7)
          {0.1f, 0.2f, 0.9f}, // negative
          {0.0f, 0.25f, 0.9f}, // best for gt 1 (0.25): low-quality positive
          {0.0f, 0.25f, 0.9f}, // tie: also positive
      }});
      var gtValid = tf.constant(new boolean[][] {{true, true, false}});
      var candidateValid = tf.constant(new boolean[][] {{true, true, true, true, true}});
      var withLowQuality = new BoxMatcher(0.7f, 0.3f, 0f, true).match(tf, iou, gtValid, candidateValid);
      var without = new BoxMatcher(0.7f, 0.3f, 0f, false).match(tf, iou, gtValid, candidateValid);
      var v = GraphTestSupport.run(s, withLowQuality.positive(), withLowQuality.negative(),
          withLowQuality.matchedIndex(), without.positive(), without.negative());
      assertEquals(List.of(true, false, false, true, true), list(v.get(0).bools()));
      assertEquals(List.of(false, false, true, false, false), list(v.get(1).bools()));
      assertEquals(0, v.get(2).i(0, 0));
      assertEquals(1, v.get(2).i(0, 3));
      assertEquals(List.of(true, false, false, false, false), list(v.get(3).bools()));
      assertEquals(List.of(false, false, true, true, true), list(v.get(4).bools()));
    }
  }

  @Test
  void imageWithoutObjectsMakesEveryValidCandidateNegative() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var iou = tf.constant(new float[][][] {{{0.9f}, {0.0f}, {0.4f}}});
      var gtValid = tf.constant(new boolean[][] {{false}});
      var candidateValid = tf.constant(new boolean[][] {{true, true, false}});
      var m = new BoxMatcher(0.5f, 0.5f, 0f, true).match(tf, iou, gtValid, candidateValid);
      var v = GraphTestSupport.run(s, m.positive(), m.negative());
      assertEquals(List.of(false, false, false), list(v.get(0).bools()));
      assertEquals(List.of(true, true, false), list(v.get(1).bools()));
      assertFalse(v.get(1).b(0, 2));
      assertTrue(v.get(1).b(0, 0));
    }
  }

  static List<Boolean> list(boolean[] values) {
    Boolean[] boxed = new Boolean[values.length];
    for (int i = 0; i < values.length; i++) boxed[i] = values[i];
    return List.of(boxed);
  }
}
