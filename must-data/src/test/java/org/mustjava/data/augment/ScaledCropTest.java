package org.mustjava.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

class ScaledCropTest {

  private static ScaledCrop window(
      GraphFixture g, int h, int w, int out, float jitter, float fy, float fx) {
    return ScaledCrop.jittered(
        g.tf,
        g.tf.constant(h),
        g.tf.constant(w),
        out,
        out,
        g.tf.constant(jitter),
        g.tf.constant(fy),
        g.tf.constant(fx));
  }

  @Test
  void upscalesTwiceWithBilinearImageAndNearestLabels() {
    try (GraphFixture g = new GraphFixture()) {
      // 2x2 input, output 4, no jitter: factor 2, nothing cropped or padded.
      ScaledCrop crop = window(g, 2, 2, 4, 1f, 0f, 0f);
      assertEquals(4, g.scalar(crop.scaledHeight()));
      assertEquals(4, g.scalar(crop.scaledWidth()));
      float[][] image =
          GraphFixture.channel0(g.floats3(crop.image(g.map1(new float[][] {{0, 4}, {0, 4}}))));
      // Half-pixel centres: samples at 0.25-steps between the two columns, clamped at the border.
      for (float[] row : image) {
        assertArrayEquals(new float[] {0, 1, 3, 4}, row, 1e-5f);
      }
      int[][] labels =
          GraphFixture.channel0(g.ints3(crop.labels(g.labels1(new int[][] {{1, 2}, {3, 4}}), 255)));
      assertArrayEquals(
          new int[][] {{1, 1, 2, 2}, {1, 1, 2, 2}, {3, 3, 4, 4}, {3, 3, 4, 4}}, labels);
      float[][] depth =
          GraphFixture.channel0(
              g.floats3(crop.floatMap(g.map1(new float[][] {{0f, 5f}, {6f, 7f}}), 0f)));
      // Nearest neighbour never blends an invalid (0) depth into its valid neighbours.
      assertArrayEquals(new float[] {0f, 0f, 5f, 5f}, depth[1], 0f);
      assertArrayEquals(new float[] {6f, 6f, 7f, 7f}, depth[2], 0f);
    }
  }

  @Test
  void padsBottomWithIgnoreInvalidAndZero() {
    try (GraphFixture g = new GraphFixture()) {
      // 2x4 input, output 4: factor min(4/2, 4/4) = 1, so rows 2..3 are padding.
      Sample in =
          new Sample(
              g.map1(new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}}),
              g.tf.constant(new float[][] {{0f, 0f, 1f, 0.5f}}),
              g.tf.constant(new int[] {3}),
              g.labels1(new int[][] {{1, 1, 2, 2}, {1, 1, 2, 2}}),
              g.map1(new float[][] {{9, 9, 9, 9}, {9, 9, 9, 9}}),
              g.tf.fill(g.tf.constant(new int[] {2, 4, 3}), g.tf.constant(0.5f)));
      Sample out = window(g, 2, 4, 4, 1f, 0.9f, 0.9f).apply(in);
      assertArrayEquals(
          new float[][] {{1, 2, 3, 4}, {5, 6, 7, 8}, {0, 0, 0, 0}, {0, 0, 0, 0}},
          GraphFixture.channel0(g.floats3(out.image())));
      assertArrayEquals(
          new int[][] {{1, 1, 2, 2}, {1, 1, 2, 2}, {255, 255, 255, 255}, {255, 255, 255, 255}},
          GraphFixture.channel0(g.ints3(out.segmentation())));
      assertArrayEquals(
          new float[][] {{9, 9, 9, 9}, {9, 9, 9, 9}, {0, 0, 0, 0}, {0, 0, 0, 0}},
          GraphFixture.channel0(g.floats3(out.depth())));
      float[][][] normals = g.floats3(out.normals());
      assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, normals[1][3], 0f);
      assertArrayEquals(new float[] {0f, 0f, 0f}, normals[2][0], 0f);
      // The box covered the left half of the image: now the top-left quarter of the output.
      assertArrayEquals(new float[] {0f, 0f, 0.5f, 0.5f}, g.floats2(out.boxes())[0], 1e-6f);
      assertArrayEquals(new int[] {3}, g.ints1(out.boxClasses()));
    }
  }

  @Test
  void cropsAtOffsetClipsBoxesAndDropsEmptyOnes() {
    try (GraphFixture g = new GraphFixture()) {
      // 4x4 input, output 2, jitter 2: factor 2 * 0.5 = 1, slack 2 per axis, offset floor(0.5*3)=1.
      float[][] pixels = {{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}, {12, 13, 14, 15}};
      Sample in =
          new Sample(
              g.map1(pixels),
              g.tf.constant(
                  new float[][] {
                    {0f, 0f, 0.25f, 0.25f}, // pixel (0,0): outside the window -> dropped
                    {0.25f, 0.25f, 0.75f, 0.75f}, // exactly the window
                    {0.5f, 0.5f, 1f, 1f}, // bottom-right 2x2 pixels: half inside -> clipped
                    {0f, 0.75f, 1f, 1f}, // last column: outside -> dropped
                  }),
              g.tf.constant(new int[] {1, 2, 3, 4}),
              null,
              null,
              null);
      ScaledCrop crop = window(g, 4, 4, 2, 2f, 0.5f, 0.5f);
      assertEquals(1, g.scalar(crop.offsetY()));
      assertEquals(1, g.scalar(crop.offsetX()));
      Sample out = crop.apply(in);
      assertArrayEquals(
          new float[][] {{5, 6}, {9, 10}}, GraphFixture.channel0(g.floats3(out.image())));
      float[][] boxes = g.floats2(out.boxes());
      assertEquals(2, boxes.length);
      assertArrayEquals(new float[] {0f, 0f, 1f, 1f}, boxes[0], 1e-6f);
      assertArrayEquals(new float[] {0.5f, 0.5f, 1f, 1f}, boxes[1], 1e-6f);
      assertArrayEquals(new int[] {2, 3}, g.ints1(out.boxClasses()));
    }
  }

  @Test
  void offsetFractionSpansTheWholeSlack() {
    try (GraphFixture g = new GraphFixture()) {
      // Slack 2 along each axis: fractions map to offsets 0, 1, 2 in equal thirds.
      assertEquals(0, g.scalar(window(g, 4, 4, 2, 2f, 0.3f, 0f).offsetY()));
      assertEquals(1, g.scalar(window(g, 4, 4, 2, 2f, 0.4f, 0f).offsetY()));
      assertEquals(2, g.scalar(window(g, 4, 4, 2, 2f, 0.99f, 0f).offsetY()));
      // No slack (image smaller than the output): offset 0 whatever the fraction.
      assertEquals(0, g.scalar(window(g, 4, 4, 2, 0.5f, 0.99f, 0.99f).offsetX()));
    }
  }

  @Test
  void evalFitsLongerSideAndPads() {
    try (GraphFixture g = new GraphFixture()) {
      // 1x2 input into 4x4: factor 2, resized 2x4, rows 2..3 padded.
      Operand<TFloat32> image = g.map1(new float[][] {{2, 2}});
      Sample out =
          new EvalPreprocessing(4)
              .apply(
                  g.tf,
                  new Sample(
                      image,
                      g.tf.constant(new float[][] {{0f, 0.5f, 1f, 1f}}),
                      g.tf.constant(new int[] {5}),
                      g.labels1(new int[][] {{4, 6}}),
                      null,
                      null));
      assertArrayEquals(
          new float[][] {{2, 2, 2, 2}, {2, 2, 2, 2}, {0, 0, 0, 0}, {0, 0, 0, 0}},
          GraphFixture.channel0(g.floats3(out.image())));
      assertArrayEquals(
          new int[][] {{4, 4, 6, 6}, {4, 4, 6, 6}, {255, 255, 255, 255}, {255, 255, 255, 255}},
          GraphFixture.channel0(g.ints3(out.segmentation())));
      assertArrayEquals(new float[] {0f, 0.5f, 0.5f, 1f}, g.floats2(out.boxes())[0], 1e-6f);
    }
  }
}
