package org.mustjava.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TrainAugmentationTest {
  private static final int SIZE = 8;
  private static final int OBJECT_CLASS = 3;

  /**
   * An 8x8 scene with one object in rows 2..5, columns 4..7: image 1 on the object, segmentation
   * class 3 there, depth = column + 1 everywhere (reveals flips), normals facing +x on the object.
   */
  private static Sample scene(GraphFixture g) {
    float[][] image = new float[SIZE][SIZE];
    int[][] seg = new int[SIZE][SIZE];
    float[][] depth = new float[SIZE][SIZE];
    float[][][] normals = new float[SIZE][SIZE][3];
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        boolean object = y >= 2 && y < 6 && x >= 4;
        image[y][x] = object ? 1f : 0f;
        seg[y][x] = object ? OBJECT_CLASS : 0;
        depth[y][x] = x + 1;
        normals[y][x] = object ? new float[] {1f, 0f, 0f} : new float[] {0f, 0f, 1f};
      }
    }
    return new Sample(
        g.map1(image),
        g.tf.constant(new float[][] {{0.25f, 0.5f, 0.75f, 1f}}),
        g.tf.constant(new int[] {OBJECT_CLASS}),
        g.labels1(seg),
        g.map1(depth),
        g.tf.constant(normals));
  }

  private static Sample augment(GraphFixture g, long seed, long index) {
    return new TrainAugmentation(SIZE)
        .apply(g.tf, scene(g), StatelessSeeds.forElement(g.tf, seed, g.tf.constant(index)));
  }

  @Test
  void boxesLabelMapsAndNormalsStayAligned() {
    int flips = 0;
    int kept = 0;
    try (GraphFixture g = new GraphFixture()) {
      for (long index = 0; index < 24; index++) {
        Sample out = augment(g, 42, index);
        float[][] boxes = g.floats2(out.boxes());
        int[][] seg = GraphFixture.channel0(g.ints3(out.segmentation()));
        float[][] depth = GraphFixture.channel0(g.floats3(out.depth()));
        float[][][] normals = g.floats3(out.normals());
        boolean anyObjectPixel = false;
        for (int y = 0; y < SIZE; y++) {
          for (int x = 0; x < SIZE; x++) {
            if (seg[y][x] != OBJECT_CLASS) {
              continue;
            }
            anyObjectPixel = true;
            // Every object pixel centre lies inside the (single) transformed box (edges included).
            assertEquals(1, boxes.length, "object visible but its box was dropped, index " + index);
            float cy = (y + 0.5f) / SIZE;
            float cx = (x + 0.5f) / SIZE;
            assertTrue(
                cy >= boxes[0][0] && cy <= boxes[0][2] && cx >= boxes[0][1] && cx <= boxes[0][3],
                "object pixel (" + y + "," + x + ") outside box " + Arrays.toString(boxes[0]));
          }
        }
        if (boxes.length == 0) {
          assertFalse(anyObjectPixel);
          continue;
        }
        kept++;
        // Depth grows with the original column: decreasing along a row means the sample flipped,
        // and then the object's normals must face -x.
        int row = -1;
        for (int y = 0; y < SIZE && row < 0; y++) {
          if (depth[y][0] > 0 && depth[y][SIZE - 1] > 0 && depth[y][0] != depth[y][SIZE - 1]) {
            row = y;
          }
        }
        if (row < 0 || !anyObjectPixel) {
          continue;
        }
        boolean flipped = depth[row][0] > depth[row][SIZE - 1];
        flips += flipped ? 1 : 0;
        for (int y = 0; y < SIZE; y++) {
          for (int x = 0; x < SIZE; x++) {
            if (seg[y][x] == OBJECT_CLASS) {
              assertEquals(flipped ? -1f : 1f, normals[y][x][0], 0f, "normal x at " + y + "," + x);
            }
          }
        }
      }
    }
    // The draws really vary: some samples flip, some do not, most keep the object.
    assertTrue(flips > 0 && flips < kept, "flips " + flips + " of " + kept);
    assertTrue(kept >= 12, "kept " + kept);
  }

  @Test
  void sameSeedAndIndexGiveSameOutputOtherIndexDiffers() {
    float[][][] first;
    float[][][] again;
    float[][][] other;
    try (GraphFixture g = new GraphFixture()) {
      first = g.floats3(augment(g, 7, 3).image());
    }
    try (GraphFixture g = new GraphFixture()) {
      again = g.floats3(augment(g, 7, 3).image());
      other = g.floats3(augment(g, 7, 4).image());
    }
    assertArrayEquals(first, again);
    assertFalse(Arrays.deepEquals(first, other));
  }

  @Test
  void rejectsBadJitterRange() {
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new TrainAugmentation(8, 2f, 1f, true));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> new TrainAugmentation(8, 0f, 1f, true));
  }
}
