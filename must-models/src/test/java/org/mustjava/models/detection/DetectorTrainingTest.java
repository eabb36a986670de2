package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.data.example.Box;
import org.mustjava.models.metrics.detection.CocoDetectionEvaluator;
import org.mustjava.models.metrics.detection.GroundTruthBox;
import org.mustjava.models.metrics.detection.ScoredDetection;
import org.mustjava.models.metrics.detection.VocDetectionEvaluator;

/**
 * Trains a small two-stage detector (ResNet-18 x0.125 + FPN 32 + the full detection head at reduced
 * widths) from scratch on synthetic 64 px scenes (coloured rectangles and disks, 3 classes) and
 * checks PASCAL AP50 (VOC2007 11-point) on held-out scenes.
 */
class DetectorTrainingTest {
  static final int SIZE = 64;
  static final int BATCH = 8;
  static final int MAX_OBJECTS = 3;

  static DetectionHead head() {
    return new DetectionHead("detection", SyntheticScenes.NUM_CLASSES,
        new AnchorGenerator(2, 5, 1, List.of(0.5, 1.0, 2.0), 4.0),
        new RpnHead(1, 32, true), new RpnTargetAssigner(0.7f, 0.3f, 64, 0.5f, true), RpnLoss.defaults(),
        new ProposalGenerator(300, 64, 300, 32, 0.7f, 0f), new RoiSampler(32, 0.25f, 0.5f, 0.5f, 0f, true),
        new MultilevelRoiAligner(7, 2, 2, 4, 32, 3), new FastRcnnBoxHead(2, 32, 1, 128, true), FastRcnnLoss.defaults(),
        new DetectionGenerator(0.05f, 0.5f, 10, 1000), List.of(1.0, 1.0, 1.0, 1.0), List.of(10.0, 10.0, 5.0, 5.0));
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void learnsSyntheticScenesToAp50() {
    int steps = Integer.getInteger("detection.steps", 300);
    SyntheticScenes scenes = new SyntheticScenes(SIZE, MAX_OBJECTS, 12, 30);
    MultiTaskModel model = new MultiTaskModel(ResNet.of(18, 0.125), FPN.of(2, 5, 32), List.of(head()), Map.of());
    long start = System.nanoTime();
    try (DetectorTrainer t = new DetectorTrainer(model, BATCH, SIZE, MAX_OBJECTS, 5, 0.9f)) {
      Random random = new Random(42);
      long trainStart = System.nanoTime();
      for (int step = 0; step < steps; step++) {
        SyntheticScenes.Batch b = scenes.batch(random, BATCH);
        float lr = step < 20 ? 0.02f * (step + 1) / 20 : (step < steps * 3 / 4 ? 0.02f : 0.002f);
        Map<String, Float> losses = t.step(lr, b.images(), b.boxes(), b.classes(), b.counts());
        for (float v : losses.values()) assertTrue(Float.isFinite(v), "loss at step " + step + ": " + losses);
        if (step % 50 == 0 || step == steps - 1) System.out.println("step " + step + " " + losses);
      }
      double trainSeconds = (System.nanoTime() - trainStart) / 1e9;

      // Held-out scenes from another seed.
      Random heldOut = new Random(1234);
      List<GroundTruthBox> gt = new ArrayList<>();
      List<ScoredDetection> dets = new ArrayList<>();
      for (int batch = 0; batch < 4; batch++) {
        SyntheticScenes.Batch b = scenes.batch(heldOut, BATCH);
        var out = t.predict("detection", b.images(), Detections.NORMALIZED_BOXES, Detections.SCORES,
            Detections.CLASSES, Detections.COUNT);
        for (int i = 0; i < BATCH; i++) {
          String image = batch + "/" + i;
          for (int k = 0; k < b.counts()[i]; k++) {
            float[] bx = b.boxes()[i][k];
            gt.add(GroundTruthBox.of(image, b.classes()[i][k], new Box(bx[0], bx[1], bx[2], bx[3])));
          }
          for (int d = 0; d < out.get(3).i(i); d++) {
            dets.add(new ScoredDetection(image, out.get(2).i(i, d), out.get(1).f(i, d), new Box(
                out.get(0).f(i, d, 0), out.get(0).f(i, d, 1), out.get(0).f(i, d, 2), out.get(0).f(i, d, 3))));
          }
        }
      }
      var result = new VocDetectionEvaluator(0.5, VocDetectionEvaluator.Interpolation.ELEVEN_POINT, false)
          .evaluate(gt, dets);
      var coco = new CocoDetectionEvaluator().evaluate(gt, dets);
      double total = (System.nanoTime() - start) / 1e9;
      System.out.printf("synthetic detector: %d steps x %d images in %.1f s (total %.1f s), AP50 per class %s, "
              + "mAP %.3f; COCO AP %.3f, AP50 %.3f, AP75 %.3f%n",
          steps, BATCH, trainSeconds, total, result.averagePrecision(), result.meanAveragePrecision(),
          coco.ap(), coco.ap50(), coco.ap75());
      assertTrue(result.meanAveragePrecision() >= 0.8,
          "AP50 on held-out synthetic scenes " + result.meanAveragePrecision() + " < 0.8");
    }
  }
}
