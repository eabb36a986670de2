package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class DetectionGeneratorTest {

  /**
   * ROIs A and B overlap with IoU 81/119 = 0.68 > 0.5, C is far away. A is confidently class 1, B is
   * split between classes 1 and 2, C is background. Per-class NMS keeps A for class 1 (suppressing
   * B's class-1 box) and B for class 2; everything else is below the 0.05 threshold.
   */
  @Test
  void perClassNmsThresholdAndPadding() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var rois = tf.constant(new float[][][] {{{0, 0, 10, 10}, {1, 1, 11, 11}, {50, 50, 60, 60}}});
      var logits = tf.constant(new float[][][] {{{0, 5, 0}, {0, 4, 3.9f}, {5, 0, 0}}});
      var deltas = tf.zeros(tf.constant(new int[] {1, 3, 3, 4}), org.tensorflow.types.TFloat32.class);
      var valid = tf.constant(new boolean[][] {{true, true, true}});
      var det = new DetectionGenerator(0.05f, 0.5f, 4, 100).generate(
          tf, logits, deltas, rois, valid, new BoxCoder(List.of(10, 10, 5, 5)), tf.constant(100f), tf.constant(200f));
      var v = GraphTestSupport.run(s, det.boxes(), det.scores(), det.classes(), det.count(), det.normalizedBoxes());
      assertEquals(2, v.get(3).i(0));
      double pA = Math.exp(5) / (2 + Math.exp(5));
      double pB2 = Math.exp(3.9) / (1 + Math.exp(4) + Math.exp(3.9));
      assertEquals(pA, v.get(1).f(0, 0), 1e-5);
      assertEquals(pB2, v.get(1).f(0, 1), 1e-5);
      assertEquals(0f, v.get(1).f(0, 2), 0);
      assertArrayEquals(new int[] {1, 2, 0, 0}, v.get(2).ints());
      assertArrayEquals(new float[] {0, 0, 10, 10}, row(v.get(0), 0), 1e-4f);
      assertArrayEquals(new float[] {1, 1, 11, 11}, row(v.get(0), 1), 1e-4f);
      assertArrayEquals(new float[] {0, 0, 0, 0}, row(v.get(0), 3), 0f);
      assertArrayEquals(new float[] {0.01f, 0.005f, 0.11f, 0.055f}, row(v.get(4), 1), 1e-6f);
    }
  }

  @Test
  void invalidRoisAreNeverDetections() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var rois = tf.constant(new float[][][] {{{0, 0, 10, 10}, {20, 20, 30, 30}}});
      var logits = tf.constant(new float[][][] {{{0, 5}, {0, 5}}});
      var deltas = tf.zeros(tf.constant(new int[] {1, 2, 2, 4}), org.tensorflow.types.TFloat32.class);
      var valid = tf.constant(new boolean[][] {{false, true}});
      var det = DetectionGenerator.defaults().generate(
          tf, logits, deltas, rois, valid, new BoxCoder(List.of(10, 10, 5, 5)), tf.constant(100f), tf.constant(100f));
      var v = GraphTestSupport.run(s, det.boxes(), det.count());
      assertEquals(1, v.get(1).i(0));
      assertArrayEquals(new float[] {20, 20, 30, 30}, row(v.get(0), 0), 1e-4f);
    }
  }

  static float[] row(GraphTestSupport.Value v, int r) {
    return new float[] {v.f(0, r, 0), v.f(0, r, 1), v.f(0, r, 2), v.f(0, r, 3)};
  }
}
