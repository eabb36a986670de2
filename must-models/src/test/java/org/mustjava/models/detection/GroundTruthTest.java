package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class GroundTruthTest {

  @Test
  void scalesToPixelsAppendsPaddingAndMarksValidRows() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Map<String, Operand<?>> labels = Map.of(
          "boxes", tf.constant(new float[][][] {{{0.1f, 0.2f, 0.5f, 0.6f}, {0.3f, 0.3f, 0.3f, 0.9f}, {0.5f, 0.5f, 0.6f, 0.6f}}}),
          "box_classes", tf.constant(new int[][] {{2, 1, 9}}),
          "num_boxes", tf.constant(new int[] {2}));
      GroundTruth gt = GroundTruth.fromLabels(tf, labels, tf.constant(100f), tf.constant(200f), 3);
      var v = GraphTestSupport.run(s, gt.boxes(), gt.classes(), gt.valid());
      assertArrayEquals(new long[] {1, 4, 4}, v.get(0).shape());
      assertArrayEquals(new float[] {10, 40, 50, 120}, new float[] {v.get(0).f(0, 0, 0), v.get(0).f(0, 0, 1), v.get(0).f(0, 0, 2), v.get(0).f(0, 0, 3)}, 1e-4f);
      // Row 1 is empty (zero height), row 2 is past num_boxes (its class 9 is not checked), row 3 is the appended padding.
      assertArrayEquals(new boolean[] {true, false, false, false}, v.get(2).bools());
      assertArrayEquals(new int[] {2, 0, 0, 0}, v.get(1).ints());
    }
  }

  @Test
  void classOutsideOneToKFailsTheStepWithAMessage() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      GroundTruth gt = GroundTruth.of(tf, tf.constant(new float[][][] {{{1, 1, 5, 5}}}), tf.constant(new int[][] {{0}}),
          tf.constant(new int[] {1}), 3);
      var e = assertThrows(Exception.class, () -> GraphTestSupport.run(s, gt.classes()));
      assertTrue(e.getMessage().contains("box_classes of valid boxes must be in 1..3"), e.getMessage());
    }
  }

  @Test
  void missingOrMistypedLabelsAreNamed() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var e = assertThrows(IllegalArgumentException.class, () -> GroundTruth.fromLabels(
          tf, Map.of("boxes", tf.constant(new float[1][1][4])), tf.constant(1f), tf.constant(1f), 3));
      assertTrue(e.getMessage().contains("box_classes"), e.getMessage());
      var e2 = assertThrows(IllegalArgumentException.class, () -> GroundTruth.fromLabels(tf,
          Map.of("boxes", tf.constant(new float[1][1][4]), "box_classes", tf.constant(new float[1][1]),
              "num_boxes", tf.constant(new int[1])), tf.constant(1f), tf.constant(1f), 3));
      assertTrue(e2.getMessage().contains("'box_classes' must be TInt32"), e2.getMessage());
    }
  }
}
