package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class DetectionPseudoLabelerTest {

  @Test
  void keepsDetectionsScoringAtLeastTheThresholdInLabelFormat() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var normalized = tf.constant(new float[][][] {
          {{0.1f, 0.1f, 0.2f, 0.2f}, {0.3f, 0.3f, 0.5f, 0.6f}, {0.7f, 0.7f, 0.8f, 0.8f}, {0, 0, 0, 0}},
          {{0.2f, 0.2f, 0.4f, 0.4f}, {0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}});
      var det = new Detections(tf.math.mul(normalized, tf.constant(100f)), normalized,
          tf.constant(new float[][] {{0.9f, 0.5f, 0.49f, 0}, {0.3f, 0, 0, 0}}),
          tf.constant(new int[][] {{4, 2, 7, 0}, {1, 0, 0, 0}}), tf.constant(new int[] {3, 1}));
      var labels = DetectionPseudoLabeler.defaults().label(tf, det);
      var v = GraphTestSupport.run(s, (Operand<?>) labels.get("boxes"), (Operand<?>) labels.get("box_classes"),
          (Operand<?>) labels.get("num_boxes"));
      // Score 0.5 is kept (>= 0.5), 0.49 is not; image 1 has nothing above the threshold.
      assertArrayEquals(new int[] {2, 0}, v.get(2).ints());
      assertArrayEquals(new int[] {4, 2, 0, 0, 0, 0, 0, 0}, v.get(1).ints());
      assertEquals(0.6f, v.get(0).f(0, 1, 3), 1e-6);
      assertEquals(0f, v.get(0).f(0, 2, 0), 0);
      assertEquals(0f, v.get(0).f(1, 0, 2), 0);
    }
  }
}
