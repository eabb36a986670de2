package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class BoxIouTest {

  @Test
  void matrixMatchesHandComputedValues() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var a = tf.constant(new float[][][] {{{0, 0, 2, 2}, {0, 0, 1, 4}}});
      var b = tf.constant(new float[][][] {{{1, 1, 3, 3}, {0, 0, 2, 2}, {5, 5, 6, 6}, {0, 0, 0, 0}}});
      var iou = GraphTestSupport.run1(s, BoxIou.matrix(tf, a, b));
      assertArrayEquals(new long[] {1, 2, 4}, iou.shape());
      // [0,0,2,2] vs [1,1,3,3]: intersection 1, union 4 + 4 - 1 = 7.
      assertEquals(1f / 7f, iou.f(0, 0, 0), 1e-6);
      assertEquals(1f, iou.f(0, 0, 1), 1e-6);
      assertEquals(0f, iou.f(0, 0, 2), 0);
      // A zero-size padding box: 0, not NaN.
      assertEquals(0f, iou.f(0, 0, 3), 0);
      // [0,0,1,4] (area 4) vs [0,0,2,2] (area 4): intersection 1x2 = 2, union 6.
      assertEquals(2f / 6f, iou.f(0, 1, 1), 1e-6);
      // [0,0,1,4] vs [1,1,3,3]: touching edge, intersection 0.
      assertEquals(0f, iou.f(0, 1, 0), 0);
    }
  }

  @Test
  void broadcastsOverBatch() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var anchors = tf.constant(new float[][][] {{{0, 0, 4, 4}}}); // [1, 1, 4]
      var gt = tf.constant(new float[][][] {{{0, 0, 4, 4}}, {{0, 0, 2, 4}}}); // [2, 1, 4]
      var iou = GraphTestSupport.run1(s, BoxIou.matrix(tf, anchors, gt));
      assertArrayEquals(new long[] {2, 1, 1}, iou.shape());
      assertEquals(1f, iou.f(0, 0, 0), 1e-6);
      assertEquals(0.5f, iou.f(1, 0, 0), 1e-6);
    }
  }
}
