package org.mustjava.experiments.figure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.mustjava.data.example.DepthType;

/** The depth and normals colour maps on hand-computed pixels. */
class ColourMapsTest {
  @Test
  void viridisEndsAndInterpolatesBetweenStops() {
    assertEquals(0x440154, DepthColours.viridis(0.0));
    assertEquals(0x21908c, DepthColours.viridis(0.5));
    assertEquals(0xfde725, DepthColours.viridis(1.0));
    // Halfway between the first two stops #440154 and #472d7b: (69.5, 23, 103.5) rounded half up.
    assertEquals(0x461768, DepthColours.viridis(1.0 / 16));
    assertEquals(0x440154, DepthColours.viridis(-3));
    assertEquals(0xfde725, DepthColours.viridis(7));
  }

  @Test
  void metricDepthIsWarmWhenNearAndNormalisedPerImage() {
    float[] metres = {1f, 2f, 3f, Float.NaN, 0f};
    assertArrayEquals(new int[] {0xfde725, 0x21908c, 0x440154, 0, 0}, DepthColours.colours(metres, DepthType.METRIC));
    // The same scene ten times farther away looks the same: the scale is the image's own.
    float[] far = {10f, 20f, 30f};
    assertArrayEquals(new int[] {0xfde725, 0x21908c, 0x440154}, DepthColours.colours(far, DepthType.METRIC));
    // Relative depth: as metric (larger = farther), negative values allowed.
    assertArrayEquals(new int[] {0xfde725, 0x440154}, DepthColours.colours(new float[] {-1f, 1f}, DepthType.RELATIVE));
  }

  @Test
  void inverseDepthIsWarmWhenLarge() {
    float[] disparity = {0.5f, 4f, 2.25f};
    assertArrayEquals(new int[] {0x440154, 0xfde725, 0x21908c}, DepthColours.colours(disparity, DepthType.INVERSE_RELATIVE));
  }

  @Test
  void aFlatDepthMapIsMidScale() {
    assertArrayEquals(new int[] {0x21908c, 0x21908c}, DepthColours.colours(new float[] {2f, 2f}, DepthType.METRIC));
  }

  @Test
  void normalsAreHalfPlusHalfOfTheOpenGlFrameVector() {
    // Stored in the OpenCV frame (x right, y down, z forward).
    assertEquals(0x8080ff, NormalColours.rgb(0f, 0f, -1f)); // facing the camera: light blue
    assertEquals(0xff8080, NormalColours.rgb(1f, 0f, 0f)); // facing right
    assertEquals(0x80ff80, NormalColours.rgb(0f, -1f, 0f)); // facing up (a floor)
    assertEquals(0x808000, NormalColours.rgb(0f, 0f, 1f)); // facing away
    assertEquals(0x000000, NormalColours.rgb(0f, 0f, 0f)); // no label
    assertEquals(0x000000, NormalColours.rgb(Float.NaN, 0f, 0f));
    float s = (float) Math.sqrt(0.5);
    // (s, -s, 0): r = 127.5 s + 127.5 = 217.66 -> 218 (0xda), g the same, b = 128.
    assertEquals(0xdada80, NormalColours.rgb(s, -s, 0f));
    assertArrayEquals(new int[] {0x8080ff, 0}, NormalColours.colours(new float[] {0f, 0f, -1f, 0f, 0f, 0f}));
  }
}
