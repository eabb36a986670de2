package org.mustjava.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HorizontalFlipTest {

  private static Sample sample(GraphFixture g) {
    return new Sample(
        g.map1(new float[][] {{1, 2, 3}, {4, 5, 6}}),
        g.tf.constant(new float[][] {{0.1f, 0.2f, 0.5f, 0.3f}, {0f, 0f, 1f, 1f}}),
        g.tf.constant(new int[] {7, 8}),
        g.labels1(new int[][] {{10, 11, 255}, {12, 13, 14}}),
        g.map1(new float[][] {{0f, 2.5f, 3f}, {4f, 0f, 6f}}),
        // normals (x, y, z) of 1x2 pixels: left faces right (+x), right faces up (-y).
        g.tf.constant(new float[][][] {{{0.6f, 0f, 0.8f}, {0f, -1f, 0f}}}));
  }

  @Test
  void mirrorsEveryFieldAndNegatesNormalX() {
    try (GraphFixture g = new GraphFixture()) {
      Sample out = HorizontalFlip.apply(g.tf, sample(g));
      assertArrayEquals(
          new float[][] {{3, 2, 1}, {6, 5, 4}}, GraphFixture.channel0(g.floats3(out.image())));
      // xmin' = 1 - xmax, xmax' = 1 - xmin.
      float[][] boxes = g.floats2(out.boxes());
      assertArrayEquals(new float[] {0.1f, 0.7f, 0.5f, 0.8f}, boxes[0], 1e-6f);
      assertArrayEquals(new float[] {0f, 0f, 1f, 1f}, boxes[1], 1e-6f);
      assertArrayEquals(new int[] {7, 8}, g.ints1(out.boxClasses()));
      assertArrayEquals(
          new int[][] {{255, 11, 10}, {14, 13, 12}},
          GraphFixture.channel0(g.ints3(out.segmentation())));
      assertArrayEquals(
          new float[][] {{3f, 2.5f, 0f}, {6f, 0f, 4f}},
          GraphFixture.channel0(g.floats3(out.depth())));
      float[][][] normals = g.floats3(out.normals());
      // Pixel order swapped; x negated, y and z kept.
      assertArrayEquals(new float[] {-0f, -1f, 0f}, normals[0][0], 0f);
      assertArrayEquals(new float[] {-0.6f, 0f, 0.8f}, normals[0][1], 0f);
    }
  }

  @Test
  void conditionalFlipKeepsSampleWhenFalse() {
    try (GraphFixture g = new GraphFixture()) {
      Sample in = sample(g);
      Sample kept = HorizontalFlip.applyIf(g.tf, in, g.tf.constant(false));
      Sample flipped = HorizontalFlip.applyIf(g.tf, in, g.tf.constant(true));
      assertArrayEquals(
          new float[][] {{1, 2, 3}, {4, 5, 6}}, GraphFixture.channel0(g.floats3(kept.image())));
      assertArrayEquals(g.floats2(in.boxes()), g.floats2(kept.boxes()));
      assertArrayEquals(g.floats3(in.normals()), g.floats3(kept.normals()));
      assertArrayEquals(
          new float[][] {{3, 2, 1}, {6, 5, 4}}, GraphFixture.channel0(g.floats3(flipped.image())));
      assertArrayEquals(new float[] {-0.6f, 0f, 0.8f}, g.floats3(flipped.normals())[0][1], 0f);
    }
  }
}
