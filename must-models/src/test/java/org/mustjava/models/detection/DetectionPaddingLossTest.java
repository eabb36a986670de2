package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Eval losses of the detector honour {@code example_valid}: with sampling that takes every anchor
 * and every ROI (so nothing random), a batch of an image and a padding row marked invalid has the
 * losses of a batch of that image twice (both normalise per sampled anchor / ROI); marked valid,
 * the padding image's anchors and ROIs change them.
 */
class DetectionPaddingLossTest {
  static final int SIZE = 64;

  static DetectionHead samplesEverything() {
    return new DetectionHead("detection", 3,
        new AnchorGenerator(2, 5, 1, List.of(1.0), 4.0), // 340 anchors
        new RpnHead(1, 16, true), new RpnTargetAssigner(0.7f, 0.3f, 4096, 1.0f, true), RpnLoss.defaults(),
        new ProposalGenerator(200, 64, 100, 32, 0.7f, 0f), new RoiSampler(256, 1.0f, 0.5f, 0.5f, 0f, true),
        new MultilevelRoiAligner(7, 2, 2, 5, 224, 4), new FastRcnnBoxHead(1, 16, 1, 32, true), FastRcnnLoss.defaults(),
        new DetectionGenerator(0.05f, 0.5f, 10, 500), List.of(1.0, 1.0, 1.0, 1.0), List.of(10.0, 10.0, 5.0, 5.0));
  }

  /** Eval-mode loss terms of a two-image batch: image x, then {@code second} (x again or padding). */
  private static Map<String, Float> losses(float[][][] x, boolean secondIsPadding, float secondValid) {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 5).withTraining(false);
      Ops tf = ctx.tf();
      float[][][][] images = {x, secondIsPadding ? new float[SIZE][SIZE][3] : x};
      float[][][] boxes = {{{0.1f, 0.1f, 0.5f, 0.6f}, {0.55f, 0.3f, 0.95f, 0.9f}}, new float[2][4]};
      int[][] classes = {{1, 3}, {-1, -1}};
      int[] counts = {2, 0};
      if (!secondIsPadding) {
        boxes[1] = boxes[0];
        classes[1] = classes[0];
        counts[1] = 2;
      }
      Map<String, Operand<?>> labels = new LinkedHashMap<>();
      labels.put(LabelKeys.BOXES, tf.constant(boxes));
      labels.put(LabelKeys.BOX_CLASSES, tf.constant(classes));
      labels.put(LabelKeys.NUM_BOXES, tf.constant(counts));
      labels.put(LabelKeys.EXAMPLE_VALID, tf.constant(new float[] {1f, secondValid}));
      MultiTaskModel model = new MultiTaskModel(ResNet.of(18, 0.125), FPN.of(2, 5, 16), List.of(samplesEverything()), Map.of());
      Map<String, Operand<TFloat32>> terms =
          new TreeMap<>(model.build(ctx, tf.constant(images), labels).heads().get("detection").losses());
      try (Session s = new Session(g)) {
        s.initialize();
        Session.Runner runner = s.runner();
        terms.values().forEach(runner::fetch);
        try (Result r = runner.run()) {
          Map<String, Float> out = new TreeMap<>();
          int i = 0;
          for (String name : terms.keySet()) out.put(name, ((TFloat32) r.get(i++)).getFloat());
          return out;
        }
      }
    }
  }

  @Test
  void paddingImagesLeaveTheEvalLossesUnchanged() {
    Random random = new Random(3);
    float[][][] x = new float[SIZE][SIZE][3];
    for (float[][] row : x) for (float[] px : row) for (int c = 0; c < 3; c++) px[c] = random.nextFloat() - 0.5f;
    Map<String, Float> twice = losses(x, false, 1f);
    Map<String, Float> masked = losses(x, true, 0f);
    Map<String, Float> unmasked = losses(x, true, 1f);
    assertEquals(twice.keySet(), masked.keySet());
    for (String k : twice.keySet()) {
      assertTrue(Float.isFinite(twice.get(k)) && twice.get(k) > 0, k + " " + twice);
      assertEquals(twice.get(k), masked.get(k), 1e-5f * Math.max(1f, Math.abs(twice.get(k))), k);
    }
    // Unmasked, the padding image's 340 negative anchors and its background ROIs dilute the losses.
    assertTrue(unmasked.get(RpnLoss.SCORE_LOSS) != masked.get(RpnLoss.SCORE_LOSS), unmasked + " vs " + masked);
    assertTrue(unmasked.get(FastRcnnLoss.BOX_LOSS) < masked.get(FastRcnnLoss.BOX_LOSS), unmasked + " vs " + masked);
  }
}
