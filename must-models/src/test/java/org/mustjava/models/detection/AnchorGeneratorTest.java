package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class AnchorGeneratorTest {

  @Test
  void defaultShapesAreDetectronFpnAnchors() {
    AnchorGenerator gen = AnchorGenerator.defaults();
    assertEquals(3, gen.anchorsPerLocation());
    for (int level = 2; level <= 6; level++) {
      double side = 8 * Math.pow(2, level); // 32, 64, ..., 512
      double[][] shapes = gen.anchorShapes(level);
      for (int a = 0; a < 3; a++) {
        double ratio = List.of(0.5, 1.0, 2.0).get(a);
        assertEquals(side * side, shapes[a][0] * shapes[a][1], 1e-6, "area, level " + level);
        assertEquals(ratio, shapes[a][1] / shapes[a][0], 1e-9, "width / height, level " + level);
      }
    }
    double[][] twoScales = new AnchorGenerator(3, 3, 2, List.of(1.0), 4.0).anchorShapes(3);
    assertEquals(32, twoScales[0][0], 1e-9);
    assertEquals(32 * Math.sqrt(2), twoScales[1][0], 1e-9);
  }

  @Test
  void levelAnchorsAreCentredOnCellsInRowColumnAnchorOrder() {
    AnchorGenerator gen = AnchorGenerator.defaults();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var a = GraphTestSupport.run1(s, gen.levelAnchors(tf, 2, tf.constant(2), tf.constant(3)));
      assertArrayEquals(new long[] {2 * 3 * 3, 4}, a.shape());
      double h = 32 / Math.sqrt(0.5);
      double w = 32 * Math.sqrt(0.5);
      // Row 0, column 0, ratio 0.5: centre (2, 2) for stride 4.
      assertEquals(2 - h / 2, a.f(0, 0), 1e-4);
      assertEquals(2 - w / 2, a.f(0, 1), 1e-4);
      assertEquals(2 + h / 2, a.f(0, 2), 1e-4);
      assertEquals(2 + w / 2, a.f(0, 3), 1e-4);
      // Row 0, column 1, ratio 1: centre (2, 6), 32 x 32.
      assertArrayEquals(new float[] {2 - 16, 6 - 16, 2 + 16, 6 + 16}, row(a, 3 + 1), 1e-4f);
      // Row 1, column 2, ratio 2: index (1 * 3 + 2) * 3 + 2, centre (6, 10).
      assertEquals(6 - w / 2, a.f(17, 0), 1e-4);
      assertEquals(10 - h / 2, a.f(17, 1), 1e-4);
    }
  }

  @Test
  void generatesFromFeatureShapesForEveryLevel() {
    AnchorGenerator gen = AnchorGenerator.defaults();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      SortedMap<Integer, Operand<TFloat32>> features = new TreeMap<>();
      for (int level = 2; level <= 7; level++) {
        int size = (int) Math.ceil(100 / Math.pow(2, level)); // a 100 px input
        features.put(level, tf.zeros(tf.constant(Shape.of(1, size, size, 8)), TFloat32.class));
      }
      Map<Integer, Operand<TFloat32>> anchors = gen.generate(tf, features);
      assertEquals(List.of(2, 3, 4, 5, 6), List.copyOf(anchors.keySet()));
      int[] expected = {25 * 25 * 3, 13 * 13 * 3, 7 * 7 * 3, 4 * 4 * 3, 2 * 2 * 3};
      for (int level = 2; level <= 6; level++) {
        assertEquals(expected[level - 2], GraphTestSupport.run1(s, anchors.get(level)).shape()[0]);
      }
      features.remove(4);
      assertThrows(IllegalArgumentException.class, () -> gen.generate(tf, features));
    }
  }

  @Test
  void rejectsBadParameters() {
    assertThrows(IllegalArgumentException.class, () -> new AnchorGenerator(3, 2, 1, List.of(1.0), 8));
    assertThrows(IllegalArgumentException.class, () -> new AnchorGenerator(2, 6, 1, List.of(), 8));
    assertThrows(IllegalArgumentException.class, () -> new AnchorGenerator(2, 6, 1, List.of(-1.0), 8));
  }

  private static float[] row(GraphTestSupport.Value v, int r) {
    return new float[] {v.f(r, 0), v.f(r, 1), v.f(r, 2), v.f(r, 3)};
  }
}
