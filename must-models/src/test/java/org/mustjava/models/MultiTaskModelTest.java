package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.LabelKeys;
import org.mustjava.models.heads.SegmentationHead;
import org.mustjava.models.testing.SyntheticBatch;
import org.mustjava.models.testing.TestTensors;
import org.mustjava.models.testing.TinyModels;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class MultiTaskModelTest {

  @Test
  void headOutputsHaveInputResolutionForSeveralSizes() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1).withTraining(false);
      var images = TestTensors.images(ctx.tf(), 3);
      ModelOutput out = TinyModels.allHeads(32).build(ctx, images, null);
      assertEquals(null, out.totalLoss());
      assertTrue(ctx.updateOps().isEmpty(), "evaluation registers no BatchNorm updates");
      s.initialize();
      for (int[] size : new int[][] {{64, 64}, {72, 40}, {33, 57}}) {
        int h = size[0], w = size[1];
        try (TFloat32 in = TestTensors.random(Shape.of(2, h, w, 3), h)) {
          assertEquals(Shape.of(2, TinyModels.NUM_CLASSES), TestTensors.runShape(s, out.prediction("classification", "logits"), images, in));
          assertEquals(Shape.of(2, h, w, TinyModels.SEG_CLASSES), TestTensors.runShape(s, out.prediction("segmentation", "logits"), images, in));
          assertEquals(Shape.of(2, h, w), TestTensors.runShape(s, out.prediction("segmentation", "classes"), images, in));
          assertEquals(Shape.of(2, h, w), TestTensors.runShape(s, out.prediction("depth", "depth"), images, in));
          assertEquals(Shape.of(2, h, w, 3), TestTensors.runShape(s, out.prediction("normals", "normals"), images, in));
          long p2 = (h + 3) / 4, p2w = (w + 3) / 4;
          assertEquals(Shape.of(2, p2, p2w, 32), TestTensors.runShape(s, out.features().fusedFinest(), images, in));
        }
      }
    }
  }

  @Test
  void variablesLiveInComponentScopesAndLossesAreWeighted() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      Ops tf = ctx.tf();
      SyntheticBatch batch = new SyntheticBatch(2, 32, 32, TinyModels.NUM_CLASSES, TinyModels.SEG_CLASSES, 1);
      MultiTaskModel model = new MultiTaskModel(ResNet.of(18, 0.25), FPN.of(2, 7, 16),
          TinyModels.allHeadList(16), Map.of("depth", 2.5, "segmentation", 0.5));
      ModelOutput out = model.build(ctx, batch.images(tf), batch.labels(tf, false));
      Set<String> prefixes = Set.copyOf(model.componentPrefixes().values());
      for (ModelVariable v : ctx.variables()) {
        assertTrue(prefixes.stream().anyMatch(p -> v.name().startsWith(p)), v.name());
      }
      assertTrue(ctx.parameterCount("heads/segmentation/", true) > 0);
      assertTrue(ctx.variables(v -> v.name().startsWith("fpn/lateral_3/")).size() == 2);
      long total = 0;
      for (String prefix : prefixes) total += ctx.parameterCount(prefix, false);
      assertEquals(ctx.parameterCount("", false), total);
      // A mean and a variance update per BatchNorm: ResNet-18 has 20 (stem, 2 per block, 3
      // shortcuts), the FPN 6 (one per level), each pixel head 3.
      assertEquals(2 * (20 + 6 + 3 * 3), ctx.updateOps().size());
      s.initialize();
      var runner = s.runner().fetch(out.totalLoss());
      for (String head : List.of("classification", "segmentation", "depth", "normals")) {
        runner.fetch(out.weightedLosses().get(head));
        runner.fetch(out.heads().get(head).losses().values().iterator().next());
      }
      try (Result r = runner.run()) {
        float totalLoss = ((TFloat32) r.get(0)).getFloat();
        float sum = 0;
        double[] weights = {1, 0.5, 2.5, 1};
        for (int i = 0; i < 4; i++) {
          float weighted = ((TFloat32) r.get(1 + 2 * i)).getFloat();
          float raw = ((TFloat32) r.get(2 + 2 * i)).getFloat();
          assertTrue(Float.isFinite(raw) && raw > 0, "raw loss " + i + " = " + raw);
          assertEquals(weights[i] * raw, weighted, 1e-5 * Math.abs(raw));
          sum += weighted;
        }
        // Exactly the weighted head losses: weight decay is the trainer's, never added here too.
        assertEquals(sum, totalLoss, 1e-5 * Math.abs(sum));
      }
    }
  }

  @Test
  void missingLabelsAndBadConfigurationsFailClearly() {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      Ops tf = ctx.tf();
      var model = new MultiTaskModel(ResNet.of(18, 0.125), FPN.of(2, 5, 8),
          List.of(SegmentationHead.of(3, 8)), Map.of());
      Map<String, Operand<?>> labels = Map.of(LabelKeys.DEPTH, tf.constant(new float[1][32][32]));
      var e = assertThrows(IllegalArgumentException.class,
          () -> model.build(ctx, tf.constant(new float[1][32][32][3]), labels));
      assertEquals("head 'segmentation' needs label 'segmentation'; the batch has [depth]", e.getMessage());
    }
    var dup = assertThrows(IllegalArgumentException.class, () -> new MultiTaskModel(ResNet.of(18, 0.25), null,
        List.of(ClassificationHead.of(3), ClassificationHead.of(4)), Map.of()));
    assertTrue(dup.getMessage().contains("duplicate head name 'classification'"), dup.getMessage());
    var weights = assertThrows(IllegalArgumentException.class, () -> new MultiTaskModel(ResNet.of(18, 0.25), null,
        List.of(ClassificationHead.of(3)), Map.of("detection", 1.0)));
    assertTrue(weights.getMessage().contains("unknown head 'detection'"), weights.getMessage());
    // Student batch 256 / lr 0.32 vs the ImageNet teacher's batch 2048 / lr 0.8: 256*0.8/(2048*0.32).
    assertEquals(0.3125, LossWeights.forTask(256, 0.32, 2048, 0.8), 1e-12);
    assertEquals(1.0, LossWeights.forTask(256, 0.32, 256, 0.32), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> LossWeights.forTask(0, 0.32, 256, 0.32));
  }
}
