package org.mustjava.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Every metric on small cases computed by hand. */
class MetricsTest {
  @Test
  void topKAccuracy() {
    TopKAccuracy m = new TopKAccuracy("classification", "classification/logits", "inputs/class_label");
    // 6 classes. Example 0: label 2 is the max (top1). Example 1: label 0 ranks 3rd (top5 only).
    // Example 2: label 5 ranks last of 6 (neither).
    float[] logits = {
        0, 1, 5, 2, 0, 0,
        3, 4, 0, 5, 1, 2,
        6, 5, 4, 3, 2, 1};
    try (TFloat32 s = TFloat32.tensorOf(Shape.of(3, 6), DataBuffers.of(logits));
        TInt32 y = TInt32.vectorOf(2, 0, 5)) {
      m.update(Map.of("classification/logits", s, "inputs/class_label", y));
    }
    assertEquals(1 / 3.0, m.result().get("top1"), 1e-12);
    assertEquals(2 / 3.0, m.result().get("top5"), 1e-12);
    // A negative label (no label) is skipped; a label beyond the classes is an error.
    try (TFloat32 s = TFloat32.tensorOf(Shape.of(1, 6), DataBuffers.of(new float[] {1, 0, 0, 0, 0, 0}));
        TInt32 y = TInt32.vectorOf(-1)) {
      m.update(Map.of("classification/logits", s, "inputs/class_label", y));
    }
    assertEquals(1 / 3.0, m.result().get("top1"), 1e-12);
    try (TFloat32 s = TFloat32.tensorOf(Shape.of(1, 6), DataBuffers.of(new float[] {1, 0, 0, 0, 0, 0}));
        TInt32 y = TInt32.vectorOf(6)) {
      assertThrows(IllegalArgumentException.class, () -> m.update(Map.of("classification/logits", s, "inputs/class_label", y)));
    }
    m.reset();
    assertTrue(m.result().get("top1").isNaN());
  }

  @Test
  void meanIoUWithIgnoreLabel() {
    MeanIoU m = new MeanIoU("segmentation", 3, "segmentation/classes", "inputs/segmentation", 255);
    // labels:      0 0 1 1 | 2 255      predictions: 0 1 1 1 | 0 2
    // class 0: tp 1, labelled 2, predicted 2 -> IoU 1/3
    // class 1: tp 2, labelled 2, predicted 3 -> IoU 2/3
    // class 2: tp 0, labelled 1, predicted 1 (the ignored pixel's prediction does not count) -> 0
    update(m, new int[] {0, 0, 1, 1, 2, 255}, new int[] {0, 1, 1, 1, 0, 2});
    assertEquals((1 / 3.0 + 2 / 3.0 + 0) / 3, m.result().get("miou"), 1e-12);
    assertEquals(3 / 5.0, m.result().get("pixel_accuracy"), 1e-12);
    // A class never labelled nor predicted is left out of the mean.
    MeanIoU four = new MeanIoU("segmentation", 4, "segmentation/classes", "inputs/segmentation", 255);
    update(four, new int[] {0, 0, 1, 1, 2, 255}, new int[] {0, 1, 1, 1, 0, 2});
    assertEquals(m.result().get("miou"), four.result().get("miou"), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> update(m, new int[] {7}, new int[] {0}));
  }

  @Test
  void depthMetrics() {
    DepthMetrics m = new DepthMetrics("depth", "depth/depth", "inputs/depth", "inputs/depth_valid", false, 1e-3);
    // Image 0: pixels (p, g) = (1, 1), (2, 1), (1.2, 1); the 4th is invalid.
    //   ratios 1, 2, 1.2 -> delta1 2/3; delta2 2/3 (2 >= 1.5625); delta3 2/3 (2 >= 1.953)
    //   abs_rel (0 + 1 + 0.2) / 3 = 0.4; rmse sqrt((0 + 1 + 0.04) / 3)
    // Image 1: (3, 2) only valid pixel (the others have g = 0): ratio 1.5 -> d1 0, d2 1, d3 1; abs_rel 0.5; rmse 1
    float[] p = {1, 2, 1.2f, 9, 3, 5, 5, 5};
    float[] g = {1, 1, 1, 1, 2, 0, 0, 0};
    float[] v = {1, 1, 1, 0, 1, 1, 1, 1};
    try (TFloat32 pt = TFloat32.tensorOf(Shape.of(2, 2, 2, 1), DataBuffers.of(p));
        TFloat32 gt = TFloat32.tensorOf(Shape.of(2, 2, 2, 1), DataBuffers.of(g));
        TFloat32 vt = TFloat32.tensorOf(Shape.of(2, 2, 2, 1), DataBuffers.of(v))) {
      m.update(Map.of("depth/depth", pt, "inputs/depth", gt, "inputs/depth_valid", vt));
    }
    Map<String, Double> r = m.result();
    assertEquals((2 / 3.0 + 0) / 2, r.get("delta1"), 1e-6);
    assertEquals((2 / 3.0 + 1) / 2, r.get("delta2"), 1e-6);
    assertEquals((2 / 3.0 + 1) / 2, r.get("delta3"), 1e-6);
    assertEquals((0.4 + 0.5) / 2, r.get("abs_rel"), 1e-6);
    assertEquals((Math.sqrt(1.04 / 3) + 1) / 2, r.get("rmse"), 1e-6);
  }

  @Test
  void depthAlignmentRecoversAnAffineMap() {
    DepthMetrics m = new DepthMetrics("depth", "p", "g", "", true, 1e-3);
    float[] g = {1, 2, 3, 4};
    float[] p = {-1, 1, 3, 5}; // g = 0.5 p + 1.5
    try (TFloat32 pt = TFloat32.tensorOf(Shape.of(1, 4), DataBuffers.of(p));
        TFloat32 gt = TFloat32.tensorOf(Shape.of(1, 4), DataBuffers.of(g))) {
      m.update(Map.<String, Tensor>of("p", pt, "g", gt));
    }
    assertEquals(1.0, m.result().get("delta1"), 1e-9);
    assertEquals(0.0, m.result().get("rmse"), 1e-6);
  }

  @Test
  void normalsMetrics() {
    NormalsMetrics m = new NormalsMetrics("normals", "normals/normals", "inputs/normals", "inputs/normals_valid");
    double c10 = Math.cos(Math.toRadians(10)), s10 = Math.sin(Math.toRadians(10));
    double c25 = Math.cos(Math.toRadians(25)), s25 = Math.sin(Math.toRadians(25));
    // Truth is +z everywhere. Angles: 0, 10, 25, 90 (unnormalised prediction), and one masked pixel.
    float[] p = {0, 0, 2, (float) s10, 0, (float) c10, 0, (float) s25, (float) c25, 3, 0, 0, 0, 0, -1};
    float[] g = {0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1};
    float[] v = {1, 1, 1, 1, 0};
    try (TFloat32 pt = TFloat32.tensorOf(Shape.of(1, 1, 5, 3), DataBuffers.of(p));
        TFloat32 gt = TFloat32.tensorOf(Shape.of(1, 1, 5, 3), DataBuffers.of(g));
        TFloat32 vt = TFloat32.tensorOf(Shape.of(1, 1, 5, 1), DataBuffers.of(v))) {
      m.update(Map.of("normals/normals", pt, "inputs/normals", gt, "inputs/normals_valid", vt));
    }
    Map<String, Double> r = m.result();
    assertEquals((0 + 10 + 25 + 90) / 4.0, r.get("mean_angle"), 1e-4);
    assertEquals(10, r.get("median_angle"), 0.01); // (4 + 1) / 2 = 2nd smallest of 4
    assertEquals(50, r.get("under_11.25"), 1e-9);
    assertEquals(50, r.get("under_22.5"), 1e-9);
    assertEquals(75, r.get("under_30"), 1e-9);
  }

  private static void update(MeanIoU m, int[] labels, int[] preds) {
    try (TInt32 l = TInt32.tensorOf(Shape.of(1, labels.length), DataBuffers.of(labels, false, false));
        TInt32 p = TInt32.tensorOf(Shape.of(1, preds.length), DataBuffers.of(preds, false, false))) {
      m.update(Map.of("segmentation/classes", p, "inputs/segmentation", l));
    }
  }
}
