package org.mustjava.data.augment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** SimCLR views: the crop geometry, determinism per seed, and the valid region. */
class SimCLRAugmentationTest {
  private static final int B = 3;
  private static final int S = 8;

  /** Normalised images of random RGB values in [0, 255] (what a decoder produces). */
  private static float[][][][] images() {
    Random r = new Random(1);
    float[][][][] x = new float[B][S][S][3];
    for (float[][][] a : x) {
      for (float[][] b : a) {
        for (float[] c : b) {
          for (int k = 0; k < 3; k++) {
            c[k] = (r.nextInt(256) - org.mustjava.data.pipeline.ImageNormalization.MEAN_RGB[k])
                / org.mustjava.data.pipeline.ImageNormalization.STDDEV_RGB[k];
          }
        }
      }
    }
    return x;
  }

  private static float[] run(SimCLRAugmentation aug, float[][][][] in, float[] validH, float[] validW, long seed) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> out = aug.apply(tf, tf.constant(in), tf.constant(validH), tf.constant(validW),
          tf.constant(new long[] {seed, 0}));
      try (TFloat32 t = (TFloat32) s.runner().fetch(out).run().get(0)) {
        assertEquals(Shape.of(B, aug.outputSize(), aug.outputSize(), 3), t.shape());
        float[] v = new float[(int) t.size()];
        t.asRawTensor().data().asFloats().read(v);
        return v;
      }
    }
  }

  private static float[] flat(float[][][][] x) {
    float[] out = new float[B * S * S * 3];
    int i = 0;
    for (float[][][] a : x) for (float[][] b : a) for (float[] c : b) for (float v : c) out[i++] = v;
    return out;
  }

  @Test
  void aFullCropWithoutColourOpsReproducesTheImage() {
    // Area 1 and aspect 1 on a square fully valid image: the box is the whole image, and the
    // half-pixel CropAndResize coordinates sample exactly the pixel centres.
    SimCLRAugmentation identity = new SimCLRAugmentation(S, List.of(1.0, 1.0), List.of(1.0, 1.0), false,
        1.0, 0, 0, 0, List.of(0.1, 2.0));
    float[] ones = {1, 1, 1};
    assertArrayEquals(flat(images()), run(identity, images(), ones, ones, 3), 1e-4f);
  }

  @Test
  void viewsAreAPureFunctionOfTheSeed() {
    SimCLRAugmentation aug = SimCLRAugmentation.imageNet(S);
    float[] ones = {1, 1, 1};
    float[] a = run(aug, images(), ones, ones, 5);
    assertArrayEquals(a, run(aug, images(), ones, ones, 5), 0f);
    assertFalse(java.util.Arrays.equals(a, run(aug, images(), ones, ones, 6)));
  }

  @Test
  void cropsStayInsideTheValidRegion() {
    // Only the top-left 2 x 2 of every image is valid and holds a distinct constant colour; the
    // rest is padding with a value far away. A full-area crop of the valid region must never
    // sample the padding (colour ops off).
    float[][][][] in = new float[B][S][S][3];
    for (int b = 0; b < B; b++) {
      for (int y = 0; y < S; y++) {
        for (int x = 0; x < S; x++) java.util.Arrays.fill(in[b][y][x], y < 2 && x < 2 ? 0.5f : 50f);
      }
    }
    SimCLRAugmentation aug = new SimCLRAugmentation(4, List.of(0.5, 1.0), List.of(0.75, 4.0 / 3), true,
        1.0, 0, 0, 0, List.of(0.1, 2.0));
    float quarter = 2f / S;
    float[] out = run(aug, in, new float[] {quarter, quarter, quarter}, new float[] {quarter, quarter, quarter}, 9);
    for (float v : out) assertEquals(0.5f, v, 1e-4f);
  }

  @Test
  void blurKernelIsTenPercentOfTheOutputAndOdd() {
    assertEquals(3, SimCLRAugmentation.imageNet(32).blurKernelSize());
    assertEquals(7, SimCLRAugmentation.imageNet(64).blurKernelSize());
    assertEquals(23, SimCLRAugmentation.imageNet(224).blurKernelSize());
    assertThrows(IllegalArgumentException.class, () -> new SimCLRAugmentation(8, List.of(0.0, 1.0),
        List.of(0.75, 1.33), true, 1, 0.8, 0.2, 0.5, List.of(0.1, 2.0)));
  }
}
