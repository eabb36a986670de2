package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.GradientPaths;
import org.mustjava.models.backbones.Backbone;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.DepthHead;
import org.mustjava.models.heads.NormalsHead;
import org.mustjava.models.heads.SegmentationHead;
import org.mustjava.models.heads.TaskHead;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.losses.ClassificationLoss;
import org.mustjava.models.losses.MetricDepthLoss;
import org.mustjava.models.losses.NormalsCosineLoss;
import org.mustjava.models.losses.PixelCrossEntropyLoss;
import org.mustjava.models.losses.ScaleShiftInvariantDepthLoss;
import org.mustjava.models.testing.MomentumStep;
import org.mustjava.models.testing.SyntheticBatch;
import org.mustjava.models.testing.TestTensors;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Builds backbone x decoder x head/loss combinations (see {@link #combinations()}) and
 * differentiates the total loss with respect to all trainable variables, so an op without a
 * gradient fails here rather than in a user's run. New backbones, decoders, heads and losses
 * belong in the lists below.
 */
class GradientCoverageTest {
  private static final int CLASSES = 3;

  static List<Supplier<Backbone>> backbones() {
    return List.of(
        () -> ResNet.of(18, 0.125),
        () -> ResNet.of(50, 0.0625),
        () -> new ResNet(34, 0.0625, 0.9, 1e-3, true, true)); // frozen BN, zero-init residual gamma
  }

  static List<Supplier<FPN>> decoders() {
    return List.of(
        () -> FPN.of(2, 7, 8),
        () -> new FPN(3, 6, 8, false, BatchNorm.DEFAULT_MOMENTUM, BatchNorm.DEFAULT_EPSILON, false));
  }

  /** Head sets needing a decoder; each loss variant appears at least once. */
  static List<Supplier<List<TaskHead>>> pixelHeadSets() {
    return List.of(
        () -> List.of(
            new ClassificationHead("classification", CLASSES, "hard", ClassificationLoss.plain()),
            new SegmentationHead("segmentation", CLASSES, 3, 8, true, PixelCrossEntropyLoss.standard()),
            new DepthHead("depth", 3, 8, true, "linear", "depth", new ScaleShiftInvariantDepthLoss()),
            new NormalsHead("normals", 3, 8, true, new NormalsCosineLoss())),
        () -> List.of(
            new ClassificationHead("classification", CLASSES, "soft", new ClassificationLoss(0.1)),
            new DepthHead("depth", 1, 8, false, "relu", "depth", MetricDepthLoss.l1())),
        () -> List.of(
            new ClassificationHead("classification", CLASSES, "hard", new ClassificationLoss(0.1)),
            new DepthHead("depth", 2, 8, true, "softplus", "depth", MetricDepthLoss.silog(0.85)),
            new NormalsHead("normals", 0, 8, true, new NormalsCosineLoss())));
  }

  /**
   * Every decoder x head set on the cheapest backbone, every backbone with the first decoder and the
   * full head set and without a decoder (classification only): each component meets each other
   * kind at least once without the full (slow) product. Arguments: backbone, decoder (-1: none),
   * head set (-1: classification only), also check evaluation mode.
   */
  static Stream<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (int d = 0; d < decoders().size(); d++) {
      for (int h = 0; h < pixelHeadSets().size(); h++) all.add(Arguments.of(0, d, h, d == 0 && h == 0));
    }
    for (int b = 1; b < backbones().size(); b++) all.add(Arguments.of(b, 0, 0, true));
    for (int b = 0; b < backbones().size(); b++) all.add(Arguments.of(b, -1, -1, false));
    return all.stream();
  }

  @ParameterizedTest(name = "backbone {0}, decoder {1}, heads {2}, eval too {3}")
  @MethodSource("combinations")
  void totalLossIsDifferentiableWithRespectToEveryTrainableVariable(int b, int d, int h, boolean evalToo) {
    for (boolean training : evalToo ? new boolean[] {true, false} : new boolean[] {true}) {
      try (Graph g = new Graph()) {
        GraphContext ctx = GraphContext.create(g, 1).withTraining(training);
        Ops tf = ctx.tf();
        List<TaskHead> heads = h < 0
            ? List.of(ClassificationHead.of(CLASSES)) : pixelHeadSets().get(h).get();
        MultiTaskModel model = new MultiTaskModel(
            backbones().get(b).get(), d < 0 ? null : decoders().get(d).get(), heads, Map.of());
        SyntheticBatch batch = new SyntheticBatch(2, 32, 32, CLASSES, CLASSES, 1);
        ModelOutput out = model.build(ctx, batch.images(tf), batch.labels(tf, h == 1));
        Output<?>[] grads = MomentumStep.gradients(ctx, out.totalLoss());
        assertEquals(ctx.trainableVariables().size(), grads.length);
        assertTrue(grads.length > 0);
        var vars = ctx.trainableVariables();
        for (int i = 0; i < grads.length; i++) {
          // addGradients returns an output without a native op where no gradient path exists.
          assertFalse(GradientPaths.isMissing(grads[i]), "no gradient for " + vars.get(i).name());
        }
      }
    }
  }

  @Test
  void gradientsOfTheFullTinyModelAreFiniteAndNonZero() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      Ops tf = ctx.tf();
      List<TaskHead> heads = pixelHeadSets().get(0).get();
      MultiTaskModel model = new MultiTaskModel(backbones().get(0).get(), decoders().get(0).get(), heads, Map.of());
      SyntheticBatch batch = new SyntheticBatch(2, 32, 32, CLASSES, CLASSES, 1);
      ModelOutput out = model.build(ctx, batch.images(tf), batch.labels(tf, false));
      Output<?>[] grads = MomentumStep.gradients(ctx, out.totalLoss());
      s.initialize();
      var runner = s.runner();
      for (Output<?> grad : grads) runner.fetch(grad);
      int nonZero = 0;
      try (Result r = runner.run()) {
        for (int i = 0; i < grads.length; i++) {
          float[] v = TestTensors.vector(r.get(i));
          boolean any = false;
          for (float x : v) {
            assertTrue(Float.isFinite(x), ctx.trainableVariables().get(i).name());
            any |= x != 0;
          }
          if (any) nonZero++;
        }
      }
      // Every variable gets some gradient signal.
      assertEquals(grads.length, nonZero);
    }
  }

}
