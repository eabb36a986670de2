package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;

/**
 * The paper's detection teacher graph: ResNet-152 + FPN (P2..P6, 256) + the two-stage head with all
 * default (Model Garden / Detectron) settings and Objects365's 365 classes, at 640 px, batch 1:
 * builds, differentiates, and runs one momentum training step plus one inference pass.
 */
@Tag("slow")
class PaperScaleDetectorTest {

  @Test
  void resnet152FpnDetectorTrainsOneStepAt640() {
    int size = 640;
    MultiTaskModel model = new MultiTaskModel(
        // FPN P2..P6, as Mask R-CNN: a detection-only model never reads P7 (no gradient reaches it).
        ResNet.of(152, 1.0), FPN.of(2, 6, 256), List.of(DetectionHead.standard(365)), Map.of());
    long start = System.nanoTime();
    try (DetectorTrainer t = new DetectorTrainer(model, 1, size, 4, 1, 0.9f)) {
      long built = System.nanoTime();
      Random random = new Random(3);
      float[][][][] image = new float[1][size][size][3];
      for (float[][] row : image[0]) for (float[] px : row) for (int c = 0; c < 3; c++) px[c] = random.nextFloat();
      float[][][] boxes = {{{0.1f, 0.1f, 0.4f, 0.3f}, {0.5f, 0.5f, 0.9f, 0.95f}, {0.2f, 0.6f, 0.25f, 0.7f}, {0, 0, 0, 0}}};
      int[][] classes = {{1, 200, 365, 0}};
      Map<String, Float> losses = t.step(0.01f, image, boxes, classes, new int[] {3});
      long stepped = System.nanoTime();
      for (var e : losses.entrySet()) assertTrue(Float.isFinite(e.getValue()), e.toString());
      var out = t.predict("detection", image, Detections.BOXES, Detections.COUNT);
      long predicted = System.nanoTime();
      assertTrue(out.get(0).shape()[1] == 100);
      System.out.printf(
          "paper-scale detector (ResNet-152 + FPN + 2-stage head, 640 px, batch 1): %,d parameters; "
              + "build %.1f s, first train step %.1f s, inference %.1f s; losses %s%n",
          t.ctx.parameterCount("", true), (built - start) / 1e9, (stepped - built) / 1e9,
          (predicted - stepped) / 1e9, losses);
    }
  }
}
