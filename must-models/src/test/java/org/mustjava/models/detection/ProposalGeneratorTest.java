package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class ProposalGeneratorTest {

  @Test
  void nmsKeepsBestOfOverlappingBoxesAndPads() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // IoU(0, 1) = 81/119 = 0.68; IoU(0, 2) = 0.
      var boxes = tf.constant(new float[][] {{0, 0, 10, 10}, {1, 1, 11, 11}, {20, 20, 30, 30}, {0, 0, 10, 9}});
      var scores = tf.constant(new float[] {0.6f, 0.9f, 0.3f, -1f}); // the last one is invalid
      var kept = ProposalGenerator.nms(tf, boxes, scores, 4, 0.7f);
      var tight = ProposalGenerator.nms(tf, boxes, scores, 4, 0.5f);
      var v = GraphTestSupport.run(s, kept.scores(), kept.count(), tight.scores(), tight.boxes());
      assertArrayEquals(new float[] {0.9f, 0.6f, 0.3f, -1f}, v.get(0).floats(), 1e-6f);
      assertEquals(3, v.get(1).ints()[0]);
      assertArrayEquals(new float[] {0.9f, 0.3f, -1f, -1f}, v.get(2).floats(), 1e-6f);
      assertArrayEquals(new float[] {1, 1, 11, 11}, new float[] {v.get(3).f(0, 0), v.get(3).f(0, 1), v.get(3).f(0, 2), v.get(3).f(0, 3)}, 0f);
      assertEquals(0f, v.get(3).f(2, 2), 0f);
    }
  }

  @Test
  void decodesClipsSelectsPerLevelAndDetaches() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // One level, 4 anchors; zero deltas so proposals are the (clipped) anchors.
      var anchors = tf.constant(new float[][] {{-10, -10, 20, 20}, {0, 0, 30, 30}, {40, 40, 60, 60}, {2, 2, 4, 3}});
      Operand<TFloat32> logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 4)));
      var deltas = tf.zeros(tf.constant(new int[] {1, 4, 4}), TFloat32.class);
      var gen = new ProposalGenerator(3, 3, 3, 3, 0.7f, 1.5f);
      Proposals p = gen.generate(tf, Map.of(2, logits), Map.of(2, deltas), Map.of(2, anchors),
          new BoxCoder(List.of(1, 1, 1, 1)), tf.constant(50f), tf.constant(50f), true);
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, 4), d -> {
            d.setFloat(3f, 0, 0);
            d.setFloat(2f, 0, 1);
            d.setFloat(1f, 0, 2);
            d.setFloat(5f, 0, 3); // best score but 1 px wide: removed by minSize 1.5
          });
          var r = s.runner().feed(logits, in).fetch(p.boxes()).fetch(p.scores()).fetch(p.valid()).run()) {
        var boxes = GraphTestSupport.toValue(r.get(0));
        var scores = GraphTestSupport.toValue(r.get(1));
        var valid = GraphTestSupport.toValue(r.get(2));
        assertArrayEquals(new long[] {1, 3, 4}, boxes.shape());
        // Top 3 by logit: anchors 3 (too small), 0, 1. Anchor 0 clipped to [0, 0, 20, 20]; IoU with
        // anchor 1 = 400/900 < 0.7, so both survive; anchor 2 was not in the top 3.
        assertEquals(1 / (1 + Math.exp(-3)), scores.f(0, 0), 1e-5);
        assertEquals(1 / (1 + Math.exp(-2)), scores.f(0, 1), 1e-5);
        assertEquals(-1f, scores.f(0, 2), 0);
        assertArrayEquals(new float[] {0, 0, 20, 20}, new float[] {boxes.f(0, 0, 0), boxes.f(0, 0, 1), boxes.f(0, 0, 2), boxes.f(0, 0, 3)}, 1e-4f);
        assertArrayEquals(new float[] {0, 0, 30, 30}, new float[] {boxes.f(0, 1, 0), boxes.f(0, 1, 1), boxes.f(0, 1, 2), boxes.f(0, 1, 3)}, 1e-4f);
        assertTrue(valid.b(0, 0) && valid.b(0, 1));
        assertFalse(valid.b(0, 2));
      }
      assertEquals("StopGradient", g.operation(p.boxes().op().name()).type());
    }
  }

  @Test
  void needsStaticBatch() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 4)));
      var e = assertThrows(IllegalArgumentException.class, () -> ProposalGenerator.defaults().generate(
          tf, Map.of(2, logits), Map.of(2, tf.zeros(tf.constant(new int[] {1, 4, 4}), TFloat32.class)),
          Map.of(2, tf.zeros(tf.constant(new int[] {4, 4}), TFloat32.class)), new BoxCoder(List.of(1, 1, 1, 1)),
          tf.constant(1f), tf.constant(1f), true));
      assertTrue(e.getMessage().contains("static batch"), e.getMessage());
    }
  }
}
