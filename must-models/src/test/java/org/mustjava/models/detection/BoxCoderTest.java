package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class BoxCoderTest {
  private static final BoxCoder STANDARD = new BoxCoder(List.of(10, 10, 5, 5));

  @Test
  void encodesHandComputedDeltas() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var anchors = tf.constant(new float[][] {{0, 0, 10, 10}, {0, 0, 10, 10}});
      var boxes = tf.constant(new float[][] {{1, 2, 11, 12}, {0, 0, 20, 5}});
      var d = GraphTestSupport.run1(s, STANDARD.encode(tf, boxes, anchors));
      // Shifted by (1, 2) on a 10x10 anchor: dy = 10 * 1/10, dx = 10 * 2/10; same size.
      assertEquals(1f, d.f(0, 0), 1e-5);
      assertEquals(2f, d.f(0, 1), 1e-5);
      assertEquals(0f, d.f(0, 2), 1e-5);
      assertEquals(0f, d.f(0, 3), 1e-5);
      // Centre (10, 2.5) vs (5, 5); height 20 = 2x, width 5 = 0.5x.
      assertEquals(10 * 5f / 10, d.f(1, 0), 1e-5);
      assertEquals(10 * -2.5f / 10, d.f(1, 1), 1e-5);
      assertEquals(5 * Math.log(2), d.f(1, 2), 1e-5);
      assertEquals(5 * Math.log(0.5), d.f(1, 3), 1e-5);
    }
  }

  @Test
  void decodeInvertsEncode() {
    Random random = new Random(3);
    int n = 200;
    float[][] anchors = new float[n][];
    float[][] boxes = new float[n][];
    for (int i = 0; i < n; i++) {
      anchors[i] = randomBox(random);
      boxes[i] = randomBox(random);
    }
    for (BoxCoder coder : List.of(STANDARD, new BoxCoder(List.of(1, 1, 1, 1)))) {
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        var a = tf.constant(anchors);
        var decoded = coder.decode(tf, coder.encode(tf, tf.constant(boxes), a), a);
        var out = GraphTestSupport.run1(s, decoded);
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < 4; c++) {
            assertEquals(boxes[i][c], out.f(i, c), 1e-3 * (1 + Math.abs(boxes[i][c])), "box " + i + " coord " + c);
          }
        }
      }
    }
  }

  @Test
  void decodeClampsHugeSizeDeltasAndPaddingEncodesFinite() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var anchors = tf.constant(new float[][] {{0, 0, 16, 16}});
      var out = GraphTestSupport.run1(s, STANDARD.decode(tf, tf.constant(new float[][] {{0, 0, 1000, 1000}}), anchors));
      // exp(log(1000/16)) * 16 = 1000 at most.
      assertEquals(1000f, out.f(0, 2) - out.f(0, 0), 0.5);
      var padding = GraphTestSupport.run1(
          s, STANDARD.encode(tf, tf.constant(new float[][] {{0, 0, 0, 0}}), anchors));
      for (float v : padding.floats()) assertTrue(Float.isFinite(v), "padding box encodes to " + v);
    }
    assertThrows(IllegalArgumentException.class, () -> new BoxCoder(List.of(1, 1, 1)));
    assertThrows(IllegalArgumentException.class, () -> new BoxCoder(List.of(1, 1, 0, 1)));
  }

  private static float[] randomBox(Random random) {
    float y = random.nextFloat() * 500;
    float x = random.nextFloat() * 500;
    // Sizes 10..300: ratios stay below the decode clamp exp(log(1000 / 16)) = 62.5.
    return new float[] {y, x, y + 10 + random.nextFloat() * 290, x + 10 + random.nextFloat() * 290};
  }
}
