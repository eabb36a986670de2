package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class MultilevelRoiAlignerTest {

  @Test
  void levelFollowsFpnEquationWithCanonical224AtLevel4() {
    MultilevelRoiAligner aligner = MultilevelRoiAligner.defaults();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      float[] sides = {224, 223, 112, 111.9f, 448, 56, 55, 10, 1000, 0};
      int[] expected = {4, 3, 3, 2, 5, 2, 2, 2, 5, 2};
      float[][] boxes = new float[sides.length][];
      for (int i = 0; i < sides.length; i++) boxes[i] = new float[] {5, 7, 5 + sides[i], 7 + sides[i]};
      var levels = GraphTestSupport.run1(s, aligner.levels(tf, tf.constant(boxes)));
      assertArrayEquals(expected, levels.ints());
      // Non-square: sqrt(112 * 448) = 224.
      assertEquals(4, GraphTestSupport.run1(s, aligner.levels(tf, tf.constant(new float[][] {{0, 0, 112, 448}}))).i(0));
    }
  }

  /**
   * Bilinear sampling reproduces a linear function exactly, so on a feature map whose value is the
   * cell's row index each output bin must equal the row coordinate of the bin centre in that level's
   * continuous coordinates ({@code y / stride - 0.5}); likewise columns in channel 1.
   */
  @Test
  void samplesBinCentresOnTheAssignedLevel() {
    MultilevelRoiAligner aligner = new MultilevelRoiAligner(2, 2, 2, 5, 224, 4);
    int image = 512;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Map<Integer, Operand<TFloat32>> features = new TreeMap<>();
      for (int level = 2; level <= 5; level++) {
        int size = image >> level;
        float[][][][] f = new float[2][size][size][2];
        for (int b = 0; b < 2; b++) {
          for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
              // Image 1 is offset by 1000 to check the box-to-image index.
              f[b][y][x][0] = y + 1000 * b + 10000 * level;
              f[b][y][x][1] = x + 1000 * b + 10000 * level;
            }
          }
        }
        features.put(level, tf.constant(f));
      }
      float[][][] boxes = {
          {{100, 120, 160, 200}, {50, 40, 300, 380}, {0, 0, 0, 0}},
          {{10, 20, 30, 35}, {200, 100, 440, 500}, {64, 64, 96, 96}}};
      var out = GraphTestSupport.run1(s, aligner.align(tf, features, tf.constant(boxes)));
      assertArrayEquals(new long[] {2, 3, 2, 2, 2}, out.shape());
      var levels = GraphTestSupport.run1(s, aligner.levels(tf, tf.constant(boxes)));
      for (int b = 0; b < 2; b++) {
        for (int r = 0; r < 3; r++) {
          if (b == 0 && r == 2) continue; // zero-size padding box: value irrelevant
          int level = levels.i(b, r);
          double stride = Math.pow(2, level);
          float[] box = boxes[b][r];
          for (int i = 0; i < 2; i++) {
            double yc = box[0] + (i + 0.5) * (box[2] - box[0]) / 2;
            double xc = box[1] + (i + 0.5) * (box[3] - box[1]) / 2;
            double offset = 1000 * b + 10000 * level;
            assertEquals(yc / stride - 0.5 + offset, out.f(b, r, i, 0, 0), 1e-2, "row, box " + b + "/" + r);
            assertEquals(xc / stride - 0.5 + offset, out.f(b, r, 0, i, 1), 1e-2, "column, box " + b + "/" + r);
          }
        }
      }
    }
  }

  /**
   * A constant feature map must pool to the constant for every ROI, including ROIs partly outside
   * the image and an ROI inside the image whose first samples fall in the half cell between the
   * image border and the first cell centre; reading 0 outside the map would mix zeros in.
   */
  @Test
  void roiPartlyOutsideTheMapPoolsTheConstant() {
    MultilevelRoiAligner aligner = new MultilevelRoiAligner(2, 2, 2, 3, 16, 3);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // A 32 x 32 image: P2 is 8 x 8, P3 is 4 x 4, every value 3.5.
      Map<Integer, Operand<TFloat32>> features = Map.of(
          2, tf.fill(tf.constant(new int[] {1, 8, 8, 2}), tf.constant(3.5f)),
          3, tf.fill(tf.constant(new int[] {1, 4, 4, 2}), tf.constant(3.5f)));
      float[][][] boxes = {{
          {-6, -4, 6, 8}, // side ~11: P2, above and left of the image
          {20, 24, 44, 48}, // side 24: P3, below and right of it
          {0, 0, 8, 8}, // inside the image; on P2 its first samples lie at -0.25
          {-40, -40, -20, -20}}}; // side 20: P3, entirely outside: every sample is the corner cell
      var levels = GraphTestSupport.run1(s, aligner.levels(tf, tf.constant(boxes)));
      assertArrayEquals(new int[] {2, 3, 2, 3}, levels.ints(), "the boxes cover both levels");
      var out = GraphTestSupport.run1(s, aligner.align(tf, features, tf.constant(boxes)));
      for (int i = 0; i < out.floats().length; i++) assertEquals(3.5f, out.floats()[i], 1e-6, "output " + i);
    }
  }

  /**
   * Hand-checked clamping on P2 of a 32 x 32 image (8 x 8 cells, stride 4), 2 x 2 bins of 2 x 2
   * samples, channel 0 = 10 + row, channel 1 = 10 + column. Box (-8, 24, 8, 40): rows run from
   * -8 / 4 - 0.5 = -2.5 to 1.5, so the 4 row samples are at -2, -1, 0, 1, clamped to 0, 0, 0, 1:
   * row bins 10 and 10.5 (reading 0 outside would give 0 and 10.5). Columns run from 5.5 to 9.5:
   * samples 6, 7, 8, 9, clamped to 6, 7, 7, 7: column bins 16.5 and 17 (not 16.5 and 0).
   */
  @Test
  void samplesBeyondTheEdgeReadTheEdgeCell() {
    MultilevelRoiAligner aligner = new MultilevelRoiAligner(2, 2, 2, 2, 224, 4);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      float[][][][] f = new float[1][8][8][2];
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 8; x++) {
          f[0][y][x][0] = 10 + y;
          f[0][y][x][1] = 10 + x;
        }
      }
      var out = GraphTestSupport.run1(
          s, aligner.align(tf, Map.of(2, tf.constant(f)), tf.constant(new float[][][] {{{-8, 24, 8, 40}}})));
      float[] rows = {10f, 10.5f};
      float[] columns = {16.5f, 17f};
      for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) {
          assertEquals(rows[i], out.f(0, 0, i, j, 0), 1e-5, "row bin " + i + "," + j);
          assertEquals(columns[j], out.f(0, 0, i, j, 1), 1e-5, "column bin " + i + "," + j);
        }
      }
    }
  }
}
