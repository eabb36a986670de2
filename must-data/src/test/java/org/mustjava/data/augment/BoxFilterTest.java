package org.mustjava.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BoxFilterTest {

  private static Sample threeBoxes(GraphFixture g) {
    return Sample.ofImage(g.map1(new float[][] {{0}}))
        .withBoxes(
            g.tf.constant(
                new float[][] {
                  {0.1f, 0.1f, 0.2f, 0.2f},
                  {0.5f, 0.1f, 0.5f, 0.9f}, // zero height
                  {0.3f, 0.4f, 0.6f, 0.4f}, // zero width
                  {0f, 0f, 1f, 1f}
                }),
            g.tf.constant(new int[] {1, 2, 3, 4}));
  }

  @Test
  void dropsZeroAreaBoxesKeepingOrder() {
    try (GraphFixture g = new GraphFixture()) {
      Sample out = BoxFilter.keepNonEmpty(g.tf, threeBoxes(g));
      float[][] boxes = g.floats2(out.boxes());
      assertEquals(2, boxes.length);
      assertArrayEquals(new float[] {0.1f, 0.1f, 0.2f, 0.2f}, boxes[0], 0f);
      assertArrayEquals(new float[] {0f, 0f, 1f, 1f}, boxes[1], 0f);
      assertArrayEquals(new int[] {1, 4}, g.ints1(out.boxClasses()));
    }
  }

  @Test
  void truncatesToMaxBoxes() {
    try (GraphFixture g = new GraphFixture()) {
      Sample two = BoxFilter.keepFirst(g.tf, threeBoxes(g), 2);
      assertArrayEquals(new int[] {1, 2}, g.ints1(two.boxClasses()));
      assertEquals(2, g.floats2(two.boxes()).length);
      Sample all = BoxFilter.keepFirst(g.tf, threeBoxes(g), 10);
      assertArrayEquals(new int[] {1, 2, 3, 4}, g.ints1(all.boxClasses()));
    }
  }
}
