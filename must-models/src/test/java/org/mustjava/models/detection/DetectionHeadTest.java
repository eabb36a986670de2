package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;

class DetectionHeadTest {

  /** A tiny but complete detector: every stage of the paper's head at reduced widths and counts. */
  static DetectionHead tinyHead(int numClasses, float anchorSize) {
    return new DetectionHead("detection", numClasses,
        new AnchorGenerator(2, 5, 1, List.of(0.5, 1.0, 2.0), anchorSize),
        new RpnHead(1, 32, true), new RpnTargetAssigner(0.7f, 0.3f, 64, 0.5f, true), RpnLoss.defaults(),
        new ProposalGenerator(200, 64, 100, 32, 0.7f, 0f), new RoiSampler(32, 0.25f, 0.5f, 0.5f, 0f, true),
        new MultilevelRoiAligner(7, 2, 2, 5, 224, 4), new FastRcnnBoxHead(2, 32, 1, 64, true), FastRcnnLoss.defaults(),
        new DetectionGenerator(0.05f, 0.5f, 10, 500), List.of(1.0, 1.0, 1.0, 1.0), List.of(10.0, 10.0, 5.0, 5.0));
  }

  static MultiTaskModel tinyModel(DetectionHead head) {
    return new MultiTaskModel(ResNet.of(18, 0.125), FPN.of(2, 5, 32), List.of(head), Map.of());
  }

  @Test
  void trainsWithPaddedBoxesAndImagesWithoutObjectsAndPredicts() {
    int size = 64;
    Random random = new Random(1);
    float[][][][] images = new float[2][size][size][3];
    for (float[][][] im : images) for (float[][] row : im) for (float[] px : row) for (int c = 0; c < 3; c++) px[c] = random.nextFloat();
    // Image 0: two boxes (third row is padding); image 1: no boxes at all.
    float[][][] boxes = {
        {{0.1f, 0.1f, 0.5f, 0.6f}, {0.55f, 0.3f, 0.95f, 0.9f}, {0, 0, 0, 0}},
        {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}}};
    int[][] classes = {{1, 3, 0}, {0, 0, 0}};
    try (DetectorTrainer t = new DetectorTrainer(tinyModel(tinyHead(3, 4f)), 2, size, 3, 11, 0.9f)) {
      // Gradient coverage: every trainable variable of the detector gets a gradient.
      assertTrue(t.trainable.stream().anyMatch(v -> v.name().startsWith("heads/detection/box_head/")));
      for (int i = 0; i < t.gradients.length; i++) assertNotNull(t.gradients[i], t.trainable.get(i).name());
      Map<String, Float> first = null;
      Map<String, Float> last = null;
      for (int step = 0; step < 3; step++) {
        last = t.step(0.01f, images, boxes, classes, new int[] {2, 0});
        if (first == null) first = last;
        for (var e : last.entrySet()) assertTrue(Float.isFinite(e.getValue()), e + " at step " + step);
      }
      assertEquals(List.of("frcnn_box_loss", "frcnn_class_loss", "rpn_box_loss", "rpn_score_loss", "total"),
          first.keySet().stream().sorted().toList());
      // Both images without objects.
      Map<String, Float> empty = t.step(0.01f, images, new float[2][3][4], new int[2][3], new int[] {0, 0});
      for (var e : empty.entrySet()) assertTrue(Float.isFinite(e.getValue()), "no objects: " + e);
      assertEquals(0f, empty.get("rpn_box_loss"), 0f);
      assertEquals(0f, empty.get("frcnn_box_loss"), 0f);
      // The sampling seed's step counter advanced once per training step (4 steps).
      try (var r = t.session.runner().fetch("heads/detection/sampling_step").run()) {
        assertEquals(4f, ((org.tensorflow.types.TFloat32) r.get(0)).getFloat(), 0f);
      }

      var out = t.predict("detection", images, Detections.BOXES, Detections.NORMALIZED_BOXES, Detections.SCORES,
          Detections.CLASSES, Detections.COUNT);
      assertArrayEquals(new long[] {2, 10, 4}, out.get(0).shape());
      for (int b = 0; b < 2; b++) {
        int n = out.get(4).i(b);
        assertTrue(n >= 0 && n <= 10);
        for (int d = 0; d < 10; d++) {
          for (int c = 0; c < 4; c++) {
            float px = out.get(0).f(b, d, c);
            assertTrue(px >= 0 && px <= size, "box inside the image: " + px);
            assertEquals(px / size, out.get(1).f(b, d, c), 1e-5);
          }
          int cls = out.get(3).i(b, d);
          if (d < n) {
            assertTrue(cls >= 1 && cls <= 3, "class " + cls);
            assertTrue(out.get(2).f(b, d) > 0.05f);
          } else {
            assertEquals(0, cls);
          }
        }
      }
    }
  }
}
