package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.detection.AnchorGenerator;
import org.mustjava.models.detection.DetectionGenerator;
import org.mustjava.models.detection.DetectionHead;
import org.mustjava.models.detection.FastRcnnBoxHead;
import org.mustjava.models.detection.FastRcnnLoss;
import org.mustjava.models.detection.MultilevelRoiAligner;
import org.mustjava.models.detection.ProposalGenerator;
import org.mustjava.models.detection.RoiSampler;
import org.mustjava.models.detection.RpnHead;
import org.mustjava.models.detection.RpnLoss;
import org.mustjava.models.detection.RpnTargetAssigner;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.DepthHead;
import org.mustjava.models.heads.LabelKeys;
import org.mustjava.models.heads.NormalsHead;
import org.mustjava.models.heads.SegmentationHead;
import org.mustjava.models.losses.ClassificationLoss;
import org.mustjava.models.losses.NormalsCosineLoss;
import org.mustjava.models.losses.PixelCrossEntropyLoss;
import org.mustjava.models.losses.ScaleShiftInvariantDepthLoss;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * "Each head's loss counts only examples that carry its label": a batch of a fully labelled image A
 * and an image U without any label (what a mixed-in data set lacking those tasks gives: zero class
 * probabilities, {@code detection_labelled} 0 and no boxes, segmentation all 255, depth and normals
 * invalid) has, for every head, the loss of the batch [A] alone, and no head's loss has a gradient
 * with respect to U's pixels.
 *
 * <p>The model runs in inference mode (BatchNorm on its moving statistics, so examples do not
 * interact through batch statistics) and the detector samples every anchor and ROI candidate, so
 * the two batches draw the same samples for A.
 */
class UnlabelledExamplesTest {
  private static final int SIZE = 32;
  private static final int CLASSES = 3;

  private static MultiTaskModel student() {
    DetectionHead detection = new DetectionHead("detection", CLASSES,
        new AnchorGenerator(2, 5, 1, List.of(0.5, 1.0, 2.0), 4f),
        new RpnHead(1, 16, true), new RpnTargetAssigner(0.7f, 0.3f, 100_000, 0.5f, true), RpnLoss.defaults(),
        new ProposalGenerator(200, 32, 200, 32, 0.7f, 0f), new RoiSampler(512, 0.25f, 0.5f, 0.5f, 0f, true),
        new MultilevelRoiAligner(7, 2, 2, 5, 224, 4), new FastRcnnBoxHead(1, 16, 1, 32, true),
        FastRcnnLoss.defaults(), new DetectionGenerator(0.05f, 0.5f, 10, 100), List.of(1.0, 1.0, 1.0, 1.0),
        List.of(10.0, 10.0, 5.0, 5.0));
    return new MultiTaskModel(ResNet.of(18, 0.125), FPN.of(2, 5, 16), List.of(
        new ClassificationHead("classification", CLASSES, "soft", ClassificationLoss.plain()),
        detection,
        new SegmentationHead("segmentation", CLASSES, 1, 8, true, PixelCrossEntropyLoss.standard()),
        new DepthHead("depth", 1, 8, true, "linear", "depth", new ScaleShiftInvariantDepthLoss()),
        new NormalsHead("normals", 1, 8, true, new NormalsCosineLoss())), Map.of());
  }

  /** Labels of A, then (when {@code withUnlabelled}) of U. */
  private static Map<String, Operand<?>> labels(Ops tf, boolean withUnlabelled) {
    int b = withUnlabelled ? 2 : 1;
    Random r = new Random(3);
    float[][] probs = new float[b][];
    float[][][] boxes = new float[b][2][4];
    int[][] boxClasses = new int[b][2];
    int[] numBoxes = new int[b];
    float[] detectionLabelled = new float[b];
    int[][][] seg = new int[b][SIZE][SIZE];
    float[][][] depth = new float[b][SIZE][SIZE];
    float[][][] depthValid = new float[b][SIZE][SIZE];
    int[] depthType = new int[b];
    float[][][][] normals = new float[b][SIZE][SIZE][3];
    float[][][] normalsValid = new float[b][SIZE][SIZE];
    probs[0] = new float[] {0.2f, 0.3f, 0.5f};
    boxes[0][0] = new float[] {0.1f, 0.2f, 0.6f, 0.7f};
    boxClasses[0][0] = 2;
    numBoxes[0] = 1;
    detectionLabelled[0] = 1;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        seg[0][y][x] = r.nextInt(CLASSES);
        depth[0][y][x] = 1 + r.nextFloat();
        depthValid[0][y][x] = 1;
        normals[0][y][x] = new float[] {0, 0.6f, -0.8f};
        normalsValid[0][y][x] = 1;
      }
    }
    if (withUnlabelled) {
      probs[1] = new float[CLASSES];
      for (int[] row : seg[1]) java.util.Arrays.fill(row, LabelKeys.IGNORE_LABEL);
    }
    Map<String, Operand<?>> m = new LinkedHashMap<>();
    m.put(LabelKeys.CLASS_PROBS, tf.constant(probs));
    m.put(LabelKeys.BOXES, tf.constant(boxes));
    m.put(LabelKeys.BOX_CLASSES, tf.constant(boxClasses));
    m.put(LabelKeys.NUM_BOXES, tf.constant(numBoxes));
    m.put(LabelKeys.DETECTION_LABELLED, tf.constant(detectionLabelled));
    m.put(LabelKeys.SEGMENTATION, tf.constant(seg));
    m.put(LabelKeys.DEPTH, tf.constant(depth));
    m.put(LabelKeys.DEPTH_VALID, tf.constant(depthValid));
    m.put(LabelKeys.DEPTH_TYPE, tf.constant(depthType));
    m.put(LabelKeys.NORMALS, tf.constant(normals));
    m.put(LabelKeys.NORMALS_VALID, tf.constant(normalsValid));
    return m;
  }

  /** Per-head loss of the batch; with U also d(head loss)/d(U's pixels), max |.|, per head. */
  private static Map<String, float[]> run(boolean withUnlabelled) {
    int b = withUnlabelled ? 2 : 1;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 17).withTraining(false);
      Ops tf = ctx.tf();
      Placeholder<TFloat32> images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(b, SIZE, SIZE, 3)));
      ModelOutput out = student().build(ctx, images, labels(tf, withUnlabelled));
      List<String> heads = List.copyOf(out.weightedLosses().keySet());
      Session.Runner runner = s.runner();
      for (String h : heads) runner.fetch(out.weightedLosses().get(h));
      if (withUnlabelled) {
        for (String h : heads) {
          Output<?>[] grad = g.addGradients(out.weightedLosses().get(h).asOutput(), new Output<?>[] {images.asOutput()});
          @SuppressWarnings("unchecked")
          Operand<TFloat32> d = (Operand<TFloat32>) grad[0];
          // Max |gradient| over U's pixels and over A's.
          for (int k = 0; k < 2; k++) {
            Operand<TFloat32> row = tf.gather(d, tf.constant(k), tf.constant(0));
            runner.fetch(tf.reduceMax(tf.math.abs(row), tf.constant(new int[] {0, 1, 2})));
          }
        }
      }
      s.initialize();
      float[][][][] pixels = new float[b][SIZE][SIZE][3];
      Random r = new Random(5);
      for (float[][][] im : pixels) for (float[][] row : im) for (float[] px : row) for (int c = 0; c < 3; c++) px[c] = r.nextFloat() * 2 - 1;
      // Image A is the same in both batches.
      try (TFloat32 feed = TFloat32.tensorOf(org.tensorflow.ndarray.StdArrays.ndCopyOf(pixels));
          Result res = runner.feed(images, feed).run()) {
        Map<String, float[]> got = new LinkedHashMap<>();
        for (int i = 0; i < heads.size(); i++) {
          float loss = ((TFloat32) res.get(i)).getFloat();
          if (withUnlabelled) {
            float gradA = ((TFloat32) res.get(heads.size() + 2 * i)).getFloat();
            float gradU = ((TFloat32) res.get(heads.size() + 2 * i + 1)).getFloat();
            got.put(heads.get(i), new float[] {loss, gradU, gradA});
          } else {
            got.put(heads.get(i), new float[] {loss});
          }
        }
        return got;
      }
    }
  }

  @Test
  void everyHeadsLossIsTheLossOfTheLabelledSubsetAndUnlabelledPixelsGetNoGradient() {
    Map<String, float[]> mixed = run(true);
    Map<String, float[]> labelledOnly = run(false);
    assertEquals(java.util.Set.of("classification", "detection", "segmentation", "depth", "normals"),
        mixed.keySet());
    for (String head : mixed.keySet()) {
      float expected = labelledOnly.get(head)[0];
      float got = mixed.get(head)[0];
      assertTrue(expected > 0, head + " loss of A must be positive for the test to mean anything: " + expected);
      assertEquals(expected, got, 1e-5f * Math.max(1f, expected), head + " loss");
      assertEquals(0f, mixed.get(head)[1], 0f, head + ": gradient reaching the unlabelled image");
      assertTrue(mixed.get(head)[2] > 0, head + ": the labelled image gets a gradient");
    }
  }

}
