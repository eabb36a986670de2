package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class RpnTargetAssignerTest {

  @Test
  void labelsSamplesAndEncodesPerImage() {
    AnchorGenerator anchors = new AnchorGenerator(2, 2, 1, List.of(0.5, 1.0, 2.0), 8);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var a = anchors.levelAnchors(tf, 2, tf.constant(16), tf.constant(16)); // 768 anchors, 64 px image
      // Image 0: one box equal to the square anchor at cell (5, 5) plus a padding row; image 1: none.
      var boxes = tf.constant(new float[][][] {{{6, 6, 38, 38}, {0, 0, 0, 0}}, {{0, 0, 0, 0}, {0, 0, 0, 0}}});
      var classes = tf.constant(new int[][] {{3, 0}, {0, 0}});
      var gt = GroundTruth.of(tf, boxes, classes, tf.constant(new int[] {1, 0}), 5);
      BoxCoder coder = new BoxCoder(List.of(1, 1, 1, 1));
      RpnTargets t = RpnTargetAssigner.defaults().assign(tf, a, gt, coder, tf.constant(new long[] {4, 5}));
      var v = GraphTestSupport.run(s, t.scoreLabels(), t.scoreWeights(), t.boxTargets(), t.boxWeights());
      int exact = (5 * 16 + 5) * 3 + 1; // ratio 1 anchor of cell (5, 5)
      int positives0 = 0;
      int sampled0 = 0;
      for (int i = 0; i < 768; i++) {
        positives0 += (int) v.get(0).f(0, i);
        sampled0 += (int) v.get(1).f(0, i);
        assertEquals(v.get(0).f(0, i), v.get(3).f(0, i), "box weights are the positive labels");
        if (v.get(0).f(0, i) == 1) assertEquals(1f, v.get(1).f(0, i), "positives are sampled");
        assertEquals(0f, v.get(0).f(1, i), "no positives without objects");
      }
      assertEquals(1f, v.get(0).f(0, exact));
      assertTrue(positives0 >= 1 && positives0 <= 128, "positives " + positives0);
      assertEquals(256, sampled0);
      assertEquals(256, v.get(1).count() - sampled0, "image 1 samples 256 negatives");
      for (int c = 0; c < 4; c++) assertEquals(0f, v.get(2).f(0, exact, c), 1e-5);
      for (float x : v.get(2).floats()) assertTrue(Float.isFinite(x));
    }
  }
}
