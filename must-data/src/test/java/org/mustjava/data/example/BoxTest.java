package org.mustjava.data.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoxTest {
  @Test
  void recordOrderRoundTripsExactly() {
    float[] yxyx = {0.1f, 0.2f, 0.7f, 0.9f};
    Box b = Box.ofYxyx(yxyx);
    assertEquals(0.1f, (float) b.ymin());
    assertEquals(0.9f, (float) b.xmax());
    assertArrayEquals(yxyx, b.toYxyx());
    assertThrows(IllegalArgumentException.class, () -> Box.ofYxyx(new float[] {0f, 0f, 1f}));
    assertThrows(IllegalArgumentException.class, () -> new Box(0, Double.NaN, 1, 1));
  }

  @Test
  void areaIntersectionAndIou() {
    Box a = new Box(0, 0, 2, 2);
    Box b = Box.fromXywh(1, 1, 2, 2); // (1, 1)..(3, 3)
    assertEquals(new Box(1, 1, 3, 3), b);
    assertEquals(4, a.area());
    assertEquals(1, a.intersection(b));
    assertEquals(1.0 / 7, a.iou(b), 1e-12);
    assertEquals(0, a.iou(new Box(5, 5, 6, 6)));
    // VOC's inclusive pixels: (0..2) x (0..2) spans 3 x 3 pixels, the overlap (1..2) 2 x 2.
    assertEquals(4.0 / 14, a.iouInclusivePixels(b), 1e-12);
  }

  @Test
  void objectBoxesHandOutTheirBoxesAsValues() {
    ObjectBoxes o = ObjectBoxes.of(new float[][] {{0.1f, 0.2f, 0.5f, 0.9f}, {0f, 0f, 1f, 1f}}, new int[] {4, 0});
    assertEquals(Box.ofYxyx(new float[] {0.1f, 0.2f, 0.5f, 0.9f}), o.box(0));
    assertEquals(List.of(o.box(0), new Box(0, 0, 1, 1)), o.boxList());
  }
}
