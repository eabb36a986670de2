package org.mustjava.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The paper's protocol: metrics scored at the labels' original resolution, on hand-computed cases
 * where the original size is non-square and differs from the model input, the image fills only
 * the top-left of the padded input, and label maps are padded to a batch maximum. Prediction and
 * label padding hold values that would change every result if they were read.
 */
class OriginalResolutionMetricsTest {
  private final List<Tensor> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(Tensor::close);
  }

  private TFloat32 floats(Shape shape, float... values) {
    TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(values));
    open.add(t);
    return t;
  }

  private TInt32 ints(Shape shape, int... values) {
    TInt32 t = TInt32.tensorOf(shape, DataBuffers.of(values));
    open.add(t);
    return t;
  }

  /** Geometry of one example: original image h x w, resize factor, label map size. */
  private Map<String, Tensor> geometry(String labels, int h, int w, float scale, int labelH, int labelW) {
    Map<String, Tensor> m = new HashMap<>();
    m.put("inputs/original_height", ints(Shape.of(1), h));
    m.put("inputs/original_width", ints(Shape.of(1), w));
    m.put("inputs/scale", floats(Shape.of(1), scale));
    m.put(labels + "_original_size", ints(Shape.of(1, 2), labelH, labelW));
    return m;
  }

  @Test
  void meanIoUUpsamplesClassIdsByNearestNeighbourToTheLabelSize() {
    // Model input 4 x 4; original image and label 3 x 6: scale = min(4/3, 4/6) = 2/3, so the image
    // is the top-left round(2) x round(4) of the input. Rows 2-3 are padding (class 1, never read).
    MeanIoU m = new MeanIoU("segmentation", 2, "segmentation/classes", "inputs/segmentation", 255, true);
    Map<String, Tensor> t = geometry("inputs/segmentation", 3, 6, 4f / 6, 3, 6);
    t.put("segmentation/classes", ints(Shape.of(1, 4, 4),
        0, 0, 1, 1,
        1, 1, 1, 0,
        1, 1, 1, 1,
        1, 1, 1, 1));
    // Nearest (half-pixel) from 2 x 4 to 3 x 6: rows {0, 1, 1}, columns {0, 1, 1, 2, 3, 3}:
    //   0 0 0 1 1 1 / 1 1 1 1 0 0 / 1 1 1 1 0 0
    // The label is padded to 4 x 7 (a larger map in the batch) with 0s that must not count.
    t.put("inputs/segmentation_original", ints(Shape.of(1, 4, 7),
        0, 0, 1, 1, 1, 255, 0,
        1, 0, 1, 1, 0, 0, 0,
        1, 1, 1, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0));
    assertTrue(m.requiredTensors().containsAll(t.keySet()), m.requiredTensors().toString());
    m.update(t);
    // (label, prediction): (0,0) 6, (0,1) 2, (1,0) 1, (1,1) 8; one ignored pixel.
    assertEquals((6.0 / 9 + 8.0 / 11) / 2, m.result().get("miou"), 1e-12);
    assertEquals(14.0 / 17, m.result().get("pixel_accuracy"), 1e-12);
  }

  @Test
  void meanIoUUpsamplesScoresBilinearlyBeforeTheArgmax() {
    // Input 2 x 2, image 1 x 2 (scale 1: region 1 x 2), label map 1 x 4 (its own resolution).
    // Class-1 logit minus class-0 logit: -1, 5 -> bilinear at source x = 0 (clamped), 0.25, 0.75,
    // 1 (clamped): -1, 0.5, 3.5, 5 -> classes 0, 1, 1, 1. (Nearest on the arg-max would give 0, 0,
    // 1, 1.) The second row is padding.
    MeanIoU m = new MeanIoU("segmentation", 2, "segmentation/logits", "inputs/segmentation", 255, true);
    Map<String, Tensor> t = geometry("inputs/segmentation", 1, 2, 1f, 1, 4);
    t.put("segmentation/logits", floats(Shape.of(1, 2, 2, 2),
        0, -1, 0, 5,
        0, 9, 0, 9));
    t.put("inputs/segmentation_original", ints(Shape.of(1, 1, 4), 0, 1, 1, 1));
    m.update(t);
    assertEquals(1.0, m.result().get("miou"), 1e-12);
    MeanIoU nearest = new MeanIoU("segmentation", 2, "segmentation/classes", "inputs/segmentation", 255, true);
    t.put("segmentation/classes", ints(Shape.of(1, 2, 2), 0, 1, 1, 1));
    nearest.update(t);
    // (0,0) 1, (1,0) 1, (1,1) 2: IoU0 = 1/2, IoU1 = 2/3.
    assertEquals((0.5 + 2.0 / 3) / 2, nearest.result().get("miou"), 1e-12);
  }

  @Test
  void depthAtTheLabelResolutionWithBilinearPredictions() {
    // Input 4 x 4; original image and label 2 x 3: scale = min(4/2, 4/3) = 4/3, region round(8/3) = 3
    // rows x round(4) = 4 columns. The region holds p(y, x) = 1 + 0.5 y + 0.25 x (affine, so
    // bilinear interpolation is exact); the padding row holds 100.
    DepthMetrics m = new DepthMetrics("depth", "depth/depth", "inputs/depth", "inputs/depth_valid", false, 1e-3,
        0, "depth", true, false);
    Map<String, Tensor> t = geometry("inputs/depth", 2, 3, 4f / 3, 2, 3);
    float[] p = new float[16];
    for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) p[y * 4 + x] = y < 3 ? 1 + 0.5f * y + 0.25f * x : 100;
    t.put("depth/depth", floats(Shape.of(1, 4, 4), p));
    // Label 2 x 3, padded to 2 x 4 with a valid 5 m column that must not count; one invalid pixel.
    t.put("inputs/depth_original", floats(Shape.of(1, 2, 4), 1.2f, 1.5f, 1.0f, 5, 2.0f, 0, 3.5f, 5));
    t.put("inputs/depth_valid_original", floats(Shape.of(1, 2, 4), 1, 1, 1, 1, 1, 0, 1, 1));
    m.update(t);
    // Half-pixel source rows (y + 0.5) * 3/2 - 0.5 = 0.25, 1.75; columns (x + 0.5) * 4/3 - 0.5 =
    // 1/6, 3/2, 17/6; so the upsampled predictions are:
    double[] pred = {1 + 0.125 + 0.25 / 6, 1 + 0.125 + 0.375, 1 + 0.875 + 0.25 / 6, 1 + 0.875 + 0.25 * 17 / 6};
    double[] truth = {1.2, 1.5, 2.0, 3.5};
    // and the third pixel of row 0: 1 + 0.125 + 0.25 * 17/6 = 1.8333 against 1.0 (ratio 1.83).
    double p3 = 1 + 0.125 + 0.25 * 17 / 6.0;
    // Ratios 1.0286, 1, 1.0435, 1.3548, 1.8333 -> delta1 3/5, delta2 4/5, delta3 5/5.
    Map<String, Double> r = m.result();
    assertEquals(3 / 5.0, r.get("delta1"), 1e-9);
    assertEquals(4 / 5.0, r.get("delta2"), 1e-9);
    assertEquals(1.0, r.get("delta3"), 1e-9);
    double absRel = Math.abs(p3 - 1.0) / 1.0;
    double sq = (p3 - 1.0) * (p3 - 1.0);
    for (int i = 0; i < 4; i++) {
      absRel += Math.abs(pred[i] - truth[i]) / truth[i];
      sq += (pred[i] - truth[i]) * (pred[i] - truth[i]);
    }
    assertEquals(absRel / 5, r.get("abs_rel"), 1e-6);
    assertEquals(Math.sqrt(sq / 5), r.get("rmse"), 1e-6);
  }

  @Test
  void eigenCropKeepsRows45To470AndColumns41To600OfNyu() {
    // NYU: 480 x 640 image and label, model input 64 (scale 0.1, region 48 x 64) predicting 2 m
    // everywhere. The truth is 2 m inside Eigen's crop and 10 m outside it.
    float[] p = new float[64 * 64];
    java.util.Arrays.fill(p, 2f);
    float[] g = new float[480 * 640];
    for (int y = 0; y < 480; y++) {
      for (int x = 0; x < 640; x++) g[y * 640 + x] = y >= 45 && y < 471 && x >= 41 && x < 601 ? 2f : 10f;
    }
    for (boolean crop : new boolean[] {true, false}) {
      DepthMetrics m = new DepthMetrics("depth", "depth/depth", "inputs/depth", "", false, 1e-3, 10, "depth", true, crop);
      Map<String, Tensor> t = geometry("inputs/depth", 480, 640, 0.1f, 480, 640);
      t.put("depth/depth", floats(Shape.of(1, 64, 64), p));
      t.put("inputs/depth_original", floats(Shape.of(1, 480, 640), g));
      m.update(t);
      assertEquals(crop ? 1.0 : 426.0 * 560 / (480 * 640), m.result().get("delta1"), 1e-9, "eigen crop " + crop);
    }
    assertThrows(IllegalArgumentException.class,
        () -> new DepthMetrics("depth", "p", "g", "", false, 1e-3, 0, "depth", false, true));
  }

  @Test
  void relativeInverseDepthIsAlignedInInverseDepth() {
    // A MiDaS-style head predicts p = 2 / g + 0.5: affine in inverse depth, so aligning s p + t to
    // 1 / g is exact; aligned in depth space the same prediction cannot be.
    float[] g = {1, 2, 4, 8};
    float[] p = new float[4];
    for (int i = 0; i < 4; i++) p[i] = 2 / g[i] + 0.5f;
    DepthMetrics inverse = new DepthMetrics("depth", "p", "g", "", true, 1e-3, 0, "inverse_depth", false, false);
    DepthMetrics direct = new DepthMetrics("depth", "p", "g", "", true, 1e-3, 0, "depth", false, false);
    for (DepthMetrics m : List.of(inverse, direct)) {
      m.update(Map.of("p", floats(Shape.of(1, 4), p), "g", floats(Shape.of(1, 4), g)));
    }
    assertEquals(1.0, inverse.result().get("delta1"), 1e-9);
    assertEquals(0.0, inverse.result().get("rmse"), 1e-5);
    // Least squares of g on p = (2.5, 1.5, 1, 0.75): s = -3.374, t = 8.500 -> depths 0.065, 3.44,
    // 5.13, 5.97 against 1, 2, 4, 8: errors up to 2 m.
    assertTrue(direct.result().get("rmse") > 0.5, direct.result().toString());
    assertThrows(IllegalArgumentException.class,
        () -> new DepthMetrics("depth", "p", "g", "", true, 1e-3, 0, "disparity", false, false));
  }

  @Test
  void normalsAtTheLabelResolution() {
    // Input 4 x 4; original image and label 4 x 8: scale 0.5, region 2 x 4. The region predicts
    // v = (sin 20, 0, cos 20) everywhere; the padding rows predict (1, 0, 0), 90 degrees off.
    double s20 = Math.sin(Math.toRadians(20)), c20 = Math.cos(Math.toRadians(20));
    float[] p = new float[4 * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        int k = (y * 4 + x) * 3;
        if (y < 2) {
          p[k] = (float) s20;
          p[k + 2] = (float) c20;
        } else {
          p[k] = 1;
        }
      }
    }
    // Label 4 x 8 padded to 5 x 9: left half +z (20 degrees off), right half v (0 degrees), pixel
    // (0, 0) invalid; padding labelled -z and valid, which would add 160-degree errors if read.
    float[] g = new float[5 * 9 * 3];
    float[] valid = new float[5 * 9];
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 9; x++) {
        int k = (y * 9 + x) * 3;
        valid[y * 9 + x] = 1;
        if (y >= 4 || x >= 8) {
          g[k + 2] = -1;
        } else if (x < 4) {
          g[k + 2] = 1;
        } else {
          g[k] = (float) s20;
          g[k + 2] = (float) c20;
        }
      }
    }
    valid[0] = 0;
    NormalsMetrics m = new NormalsMetrics("normals", "normals/normals", "inputs/normals", "inputs/normals_valid", true);
    Map<String, Tensor> t = geometry("inputs/normals", 4, 8, 0.5f, 4, 8);
    t.put("normals/normals", floats(Shape.of(1, 4, 4, 3), p));
    t.put("inputs/normals_original", floats(Shape.of(1, 5, 9, 3), g));
    t.put("inputs/normals_valid_original", floats(Shape.of(1, 5, 9), valid));
    m.update(t);
    // 31 pixels: 15 at 20 degrees, 16 at 0.
    Map<String, Double> r = m.result();
    assertEquals(15 * 20.0 / 31, r.get("mean_angle"), 1e-3);
    assertEquals(0.005, r.get("median_angle"), 1e-9); // the 16th smallest angle is 0: bin [0, 0.01)
    assertEquals(100.0 * 16 / 31, r.get("under_11.25"), 1e-9);
    assertEquals(100.0, r.get("under_22.5"), 1e-9);
    assertEquals(100.0, r.get("under_30"), 1e-9);
  }

  @Test
  void aRegionLargerThanThePredictionIsAClearError() {
    MeanIoU m = new MeanIoU("segmentation", 2, "segmentation/classes", "inputs/segmentation", 255, true);
    Map<String, Tensor> t = geometry("inputs/segmentation", 8, 8, 1f, 8, 8);
    t.put("segmentation/classes", ints(Shape.of(1, 4, 4), new int[16]));
    t.put("inputs/segmentation_original", ints(Shape.of(1, 8, 8), new int[64]));
    var e = assertThrows(IllegalArgumentException.class, () -> m.update(t));
    assertTrue(e.getMessage().contains("covers 8x8 input pixels but the prediction is 4x4"), e.getMessage());
  }
}
