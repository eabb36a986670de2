package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mustjava.core.gradients.GradientChecker;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.ModelOutput;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.DepthHead;
import org.mustjava.models.heads.NormalsHead;
import org.mustjava.models.heads.SegmentationHead;
import org.mustjava.models.losses.ClassificationLoss;
import org.mustjava.models.losses.NormalsCosineLoss;
import org.mustjava.models.losses.PixelCrossEntropyLoss;
import org.mustjava.models.losses.ScaleShiftInvariantDepthLoss;
import org.mustjava.models.testing.SyntheticBatch;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Gradient coverage of the detector: which ops lie on differentiable paths, and finite-difference
 * checks of the differentiable detection-specific pieces (ROIAlign, RPN and box-head losses).
 */
class DetectionGradientsTest {

  /**
   * TopKV2 and NonMaxSuppressionV5 have no C++ gradient; the detector keeps them on detached paths
   * only (proposals, samplers and detections end in StopGradient). Walks back from the total loss
   * along float edges, not through StopGradient, and checks they are never reached — so the detector
   * does not depend on any Java gradient of its own.
   */
  @Test
  void noGradientlessOpOnADifferentiablePath() {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 3);
      Ops tf = ctx.tf();
      var images = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 64, 64, 3)));
      Map<String, Operand<?>> labels = new LinkedHashMap<>();
      labels.put("boxes", tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 3, 4))));
      labels.put("box_classes", tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2, 3))));
      labels.put("num_boxes", tf.placeholder(TInt32.class, Placeholder.shape(Shape.of(2))));
      ModelOutput out = DetectionHeadTest.tinyModel(DetectionHeadTest.tinyHead(3, 4f)).build(ctx, images, labels);
      Set<String> reachable = differentiableOpTypes(out.totalLoss());
      Set<String> all = new TreeSet<>();
      g.operations().forEachRemaining(op -> all.add(op.type()));
      assertTrue(all.contains("TopKV2") && all.contains("NonMaxSuppressionV5"), "the graph does use them");
      for (String type : List.of("TopKV2", "NonMaxSuppressionV5", "Where")) {
        assertFalse(reachable.contains(type), type + " on a differentiable path: " + reachable);
      }
      // The differentiable path does go through the second stage's ROIAlign.
      assertTrue(reachable.contains("CropAndResize") && reachable.contains("DynamicStitch"), reachable.toString());
    }
  }

  /**
   * The MuST student: one model with classification, detection, segmentation, depth and normals
   * heads on ResNet + FPN (P2..P7). The total loss is differentiable with respect to every trainable
   * variable (in train mode), and the eval graph with the same weights builds too.
   */
  @Test
  void studentWithAllHeadsIsDifferentiable() {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 5);
      Ops tf = ctx.tf();
      SyntheticBatch batch = new SyntheticBatch(2, 64, 64, 3, 3, 1);
      Map<String, Operand<?>> labels = new LinkedHashMap<>(batch.labels(tf, true));
      labels.put("boxes", tf.constant(new float[][][] {{{0.1f, 0.1f, 0.6f, 0.5f}, {0, 0, 0, 0}}, {{0, 0, 0, 0}, {0, 0, 0, 0}}}));
      labels.put("box_classes", tf.constant(new int[][] {{2, 0}, {0, 0}}));
      labels.put("num_boxes", tf.constant(new int[] {1, 0}));
      MultiTaskModel student = new MultiTaskModel(ResNet.of(18, 0.125), FPN.of(2, 7, 16), List.of(
          new ClassificationHead("classification", 3, "soft", ClassificationLoss.plain()),
          DetectionHeadTest.tinyHead(3, 4f),
          new SegmentationHead("segmentation", 3, 1, 8, true, PixelCrossEntropyLoss.standard()),
          new DepthHead("depth", 1, 8, true, "linear", "depth", new ScaleShiftInvariantDepthLoss()),
          new NormalsHead("normals", 1, 8, true, new NormalsCosineLoss())), Map.of());
      ModelOutput out = student.build(ctx, batch.images(tf), labels);
      student.build(ctx.withTraining(false), batch.images(tf), null);
      var trainable = ctx.trainableVariables();
      org.tensorflow.Output<?>[] xs = new org.tensorflow.Output<?>[trainable.size()];
      for (int i = 0; i < xs.length; i++) xs[i] = g.operation(trainable.get(i).name() + "_read").output(0);
      var grads = g.addGradients(out.totalLoss().asOutput(), xs);
      assertEquals(trainable.size(), grads.length);
      assertTrue(trainable.stream().anyMatch(v -> v.name().startsWith("heads/detection/rpn/")));
      for (int i = 0; i < grads.length; i++) assertTrue(grads[i] != null, trainable.get(i).name());
    }
  }

  private static Set<String> differentiableOpTypes(Operand<?> loss) {
    Set<String> types = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    ArrayDeque<GraphOperation> queue = new ArrayDeque<>();
    queue.add((GraphOperation) loss.op());
    while (!queue.isEmpty()) {
      GraphOperation op = queue.poll();
      if (!seen.add(op.name())) continue;
      types.add(op.type());
      if (op.type().equals("StopGradient")) continue;
      for (int i = 0; i < op.numInputs(); i++) {
        var input = op.input(i);
        if (input.type() == TFloat32.class) queue.add((GraphOperation) input.op());
      }
    }
    return types;
  }

  @Test
  void roiAlignGradientMatchesFiniteDifferences() {
    Random random = new Random(9);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var p2 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 8, 8, 2)));
      var p3 = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 4, 4, 2)));
      // Boxes on both levels (canonical size 16 at level 3): sides 10, 12 -> P2, 24 -> P3. The third
      // box of each image lies partly outside the 32 x 32 image, so some of its samples are clamped.
      var boxes = tf.constant(new float[][][] {
          {{3, 4, 13, 14}, {2, 2, 26, 26}, {-6, 22, 6, 34}},
          {{10, 12, 20, 22}, {4, 6, 28, 30}, {-8, -10, 16, 14}}});
      var aligner = new MultilevelRoiAligner(2, 2, 2, 3, 16, 3);
      Operand<TFloat32> y = aligner.align(tf, Map.of(2, p2, 3, p3), boxes);
      try (TFloat32 x2 = randomTensor(random, Shape.of(2, 8, 8, 2)); TFloat32 x3 = randomTensor(random, Shape.of(2, 4, 4, 2))) {
        GradientChecker.Result r2 = GradientChecker.check(g, s, y, p2, x2, Map.<Operand<?>, Tensor>of(p3, x3), 1e-2);
        GradientChecker.Result r3 = GradientChecker.check(g, s, y, p3, x3, Map.<Operand<?>, Tensor>of(p2, x2), 1e-2);
        assertTrue(r2.maxRelError() < 1e-2, "P2: " + r2);
        assertTrue(r3.maxRelError() < 1e-2, "P3: " + r3);
        assertTrue(maxAbs(r2.analytic()) > 0 && maxAbs(r3.analytic()) > 0, "both levels receive gradient");
      }
      // Every output is an average of clamped bilinear samples, i.e. a convex combination of
      // feature cells, so d(sum of outputs)/d(features) sums to the number of outputs, 2 images x
      // 3 boxes x 2 x 2 bins x 2 channels = 48. A sample read as 0 outside the map would lose weight.
      var grads = g.addGradients(tf.reduceSum(y, tf.constant(new int[] {0, 1, 2, 3, 4})).asOutput(),
          new org.tensorflow.Output<?>[] {p2.asOutput(), p3.asOutput()});
      try (TFloat32 x2 = randomTensor(random, Shape.of(2, 8, 8, 2)); TFloat32 x3 = randomTensor(random, Shape.of(2, 4, 4, 2));
          org.tensorflow.Result r = s.runner().feed(p2, x2).feed(p3, x3).fetch(grads[0]).fetch(grads[1]).run()) {
        double total = 0;
        for (int i = 0; i < 2; i++) total += sum(GraphTestSupport.toValue(r.get(i)).floats());
        assertEquals(48.0, total, 1e-3);
      }
    }
  }

  @Test
  void rpnLossGradientsMatchFiniteDifferences() {
    Random random = new Random(4);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 6)));
      var deltas = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 6, 4)));
      RpnTargets targets = new RpnTargets(
          tf.constant(new float[][] {{1, 0, 0, 1, 0, 0}}), tf.constant(new float[][] {{1, 1, 0, 1, 1, 0}}),
          tf.constant(new float[][][] {{{0.3f, -0.2f, 0.5f, 0.05f}, {0, 0, 0, 0}, {0, 0, 0, 0},
              {-0.4f, 0.1f, -0.02f, 0.6f}, {0, 0, 0, 0}, {0, 0, 0, 0}}}),
          tf.constant(new float[][] {{1, 0, 0, 1, 0, 0}}));
      var losses = RpnLoss.defaults().compute(tf, logits, deltas, targets);
      Operand<TFloat32> total = tf.math.add(losses.get(RpnLoss.SCORE_LOSS), losses.get(RpnLoss.BOX_LOSS));
      try (TFloat32 l0 = randomTensor(random, Shape.of(1, 6)); TFloat32 d0 = randomTensor(random, Shape.of(1, 6, 4))) {
        var rl = GradientChecker.check(g, s, total, logits, l0, Map.<Operand<?>, Tensor>of(deltas, d0), 1e-3);
        var rd = GradientChecker.check(g, s, total, deltas, d0, Map.<Operand<?>, Tensor>of(logits, l0), 1e-3);
        assertTrue(rl.maxRelError() < 1e-2, "logits: " + rl);
        assertTrue(rd.maxRelError() < 1e-2, "deltas: " + rd);
        // Unsampled anchors (weight 0) get no gradient.
        assertEquals(0f, rl.analytic()[2], 0f);
        assertEquals(0f, rl.analytic()[5], 0f);
      }
    }
  }

  @Test
  void fastRcnnLossGradientsMatchFiniteDifferences() {
    Random random = new Random(8);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 4, 3)));
      var deltas = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, 4, 3, 4)));
      SampledRois rois = new SampledRois(
          tf.zeros(tf.constant(new int[] {1, 4, 4}), TFloat32.class), tf.constant(new int[][] {{2, 0, 1, 0}}),
          tf.constant(new float[][][] {{{0.5f, -1.5f, 0.2f, 2f}, {0, 0, 0, 0}, {-0.3f, 0.8f, -2.5f, 0.1f}, {0, 0, 0, 0}}}),
          tf.constant(new float[][] {{1, 0, 1, 0}}), tf.constant(new float[][] {{1, 1, 1, 0}}));
      var losses = FastRcnnLoss.defaults().compute(tf, logits, deltas, rois);
      Operand<TFloat32> total = tf.math.add(losses.get(FastRcnnLoss.CLASS_LOSS), losses.get(FastRcnnLoss.BOX_LOSS));
      try (TFloat32 l0 = randomTensor(random, Shape.of(1, 4, 3)); TFloat32 d0 = randomTensor(random, Shape.of(1, 4, 3, 4))) {
        var rl = GradientChecker.check(g, s, total, logits, l0, Map.<Operand<?>, Tensor>of(deltas, d0), 1e-3);
        var rd = GradientChecker.check(g, s, total, deltas, d0, Map.<Operand<?>, Tensor>of(logits, l0), 1e-3);
        assertTrue(rl.maxRelError() < 1e-2, "logits: " + rl);
        assertTrue(rd.maxRelError() < 1e-2, "deltas: " + rd);
        // Only the target class's deltas of foreground ROIs are regressed: ROI 0 class 2, ROI 2 class 1.
        for (int roi = 0; roi < 4; roi++) {
          for (int c = 0; c < 3; c++) {
            boolean target = (roi == 0 && c == 2) || (roi == 2 && c == 1);
            float grad = Math.abs(rd.analytic()[(roi * 3 + c) * 4]);
            assertEquals(target, grad > 0, "roi " + roi + " class " + c);
          }
        }
      }
    }
  }

  private static TFloat32 randomTensor(Random random, Shape shape) {
    return TFloat32.tensorOf(shape, t -> t.scalars().forEach(v -> v.setFloat((float) random.nextGaussian())));
  }

  private static double sum(float[] values) {
    double total = 0;
    for (float v : values) total += v;
    return total;
  }

  private static float maxAbs(float[] values) {
    float m = 0;
    for (float v : values) m = Math.max(m, Math.abs(v));
    return m;
  }
}
