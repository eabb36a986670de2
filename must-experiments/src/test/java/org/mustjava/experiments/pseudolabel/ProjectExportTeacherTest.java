package org.mustjava.experiments.pseudolabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.Saver;
import org.mustjava.core.export.FrozenTeacher;
import org.mustjava.core.export.SavedModelExporter;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.Mode;
import org.mustjava.models.tasks.MultiTaskTrainingTask;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The project's own export of a one-head task (what {@code Trainer} writes to {@code export/final})
 * is a teacher with only {@code task} and {@code directory} configured: the signature, input, input
 * size, normalisation and output names all default to what the export has.
 */
class ProjectExportTeacherTest {
  static final int S = 32;
  @TempDir Path dir;

  @Test
  void oneHeadSegmentationExportNeedsOnlyTaskAndDirectory() throws Exception {
    MultiTaskTrainingTask task = Fixtures.create(MultiTaskTrainingTask.class, """
        MultiTaskTrainingTask.model = @MultiTaskModel()
        MultiTaskTrainingTask.train_files = ['unused']
        MultiTaskTrainingTask.train_pipeline = @Pipeline
        MultiTaskTrainingTask.serving_image_size = 32
        MultiTaskModel.backbone = @ResNet()
        MultiTaskModel.decoder = @FPN()
        MultiTaskModel.heads = [@SegmentationHead()]
        ResNet.depth = 18
        ResNet.width_multiplier = 0.25
        FPN.min_level = 2
        FPN.max_level = 5
        FPN.num_filters = 16
        SegmentationHead.num_classes = 3
        SegmentationHead.hidden_filters = 16
        """);
    Path export = dir.resolve("teachers/seg/export/final");
    SavedModelExporter.export(task, initialisedCheckpoint(task), export, 3);

    int[][] colours = {{250, 20, 20}, {20, 240, 30}, {40, 60, 230}, {128, 128, 128}};
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(S, S, colours), S, S, "square")));
    // The export's own probabilities on the normalised square image (no resize, no padding).
    float[] probabilities;
    // The stage runs the optimised graph by default (SavedModelTeacher.optimize): so does this.
    try (FrozenTeacher t = FrozenTeacher.loadOptimized(export, "segmentation"); TFloat32 image = TFloat32.tensorOf(Shape.of(1, S, S, 3))) {
      for (int y = 0; y < S; y++) {
        for (int x = 0; x < S; x++) {
          int[] c = colours[x * colours.length / S];
          for (int k = 0; k < 3; k++) image.setFloat(Fixtures.normalised(c[k], k), 0, y, x, k);
        }
      }
      try (Result r = t.run(Map.of("image", image))) {
        TFloat32 p = (TFloat32) r.get("probabilities").orElseThrow();
        assertEquals(Shape.of(1, S, S, 3), p.shape());
        probabilities = new float[S * S * 3];
        p.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(probabilities, false, false));
      }
    }
    // A threshold at the median top probability, so that it matters (an initialised model's
    // confidence is anyone's guess).
    float[] top = new float[S * S];
    for (int i = 0; i < S * S; i++) top[i] = Math.max(probabilities[3 * i], Math.max(probabilities[3 * i + 1], probabilities[3 * i + 2]));
    float threshold = sortedCopy(top)[S * S / 2];
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'segmentation'
        SavedModelTeacher.directory = 'teachers/seg/export/final'
        SavedModelTeacher.confidence_threshold = %s
        """.formatted(threshold));
    Fixtures.run(stage, dir);
    byte[] label = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001")).get(0).segmentation().orElseThrow();

    byte[] expected = new byte[S * S];
    int labelled = 0;
    for (int i = 0; i < S * S; i++) {
      int best = 0;
      for (int k = 1; k < 3; k++) if (probabilities[3 * i + k] > probabilities[3 * i + best]) best = k;
      boolean confident = probabilities[3 * i + best] >= threshold;
      expected[i] = (byte) (confident ? best : 255);
      if (confident) labelled++;
    }
    assertArrayEquals(expected, label, "labelled pixels: " + labelled);
    org.junit.jupiter.api.Assertions.assertTrue(labelled > 0 && labelled < S * S,
        "the threshold must matter for this test to check it: " + labelled + " of " + S * S + " pixels are confident");
  }

  @Test
  void optimisedGraphFoldsEveryBatchNormAndComputesTheSame() throws Exception {
    MultiTaskTrainingTask task = Fixtures.create(MultiTaskTrainingTask.class, """
        MultiTaskTrainingTask.model = @MultiTaskModel()
        MultiTaskTrainingTask.train_files = ['unused']
        MultiTaskTrainingTask.train_pipeline = @Pipeline
        MultiTaskTrainingTask.serving_image_size = 32
        MultiTaskModel.backbone = @ResNet()
        MultiTaskModel.decoder = @FPN()
        MultiTaskModel.heads = [@ClassificationHead(), @SegmentationHead()]
        ResNet.depth = 18
        ResNet.width_multiplier = 0.25
        FPN.min_level = 2
        FPN.max_level = 5
        FPN.num_filters = 16
        ClassificationHead.num_classes = 5
        SegmentationHead.num_classes = 3
        SegmentationHead.hidden_filters = 16
        """);
    Path export = dir.resolve("export");
    org.mustjava.experiments.bench.InitialisedTeacherExport.export(task, dir.resolve("ckpt2"), export, 3);
    // Every BatchNorm is gone from the optimised graph.
    try (org.tensorflow.SavedModelBundle b = org.tensorflow.SavedModelBundle.load(export.toString(), "serve")) {
      long before = b.graph().toGraphDef().getNodeList().stream().filter(n -> n.getOp().startsWith("FusedBatchNorm")).count();
      var opt = org.mustjava.core.export.InferenceGraphOptimizer.optimize(b.graph().toGraphDef(), b.session(),
          List.of("segmentation/logits", "classification/logits").stream()
              .map(k -> org.mustjava.core.export.InferenceGraphOptimizer.nodeName(
                  b.function(k.split("/")[0]).signature().getOutputs().get("logits").name)).toList());
      assertTrue(before >= 20, "ResNet-18 has a BatchNorm per conv: " + before);
      assertEquals(0, opt.graphDef().getNodeList().stream().filter(n -> n.getOp().startsWith("FusedBatchNorm")).count());
      assertEquals(before, opt.foldedBatchNorms());
    }
    java.util.Random rnd = new java.util.Random(11);
    try (TFloat32 image = TFloat32.tensorOf(Shape.of(2, S, S, 3))) {
      for (int n = 0; n < 2; n++) for (int y = 0; y < S; y++) for (int x = 0; x < S; x++) for (int c = 0; c < 3; c++) {
        image.setFloat((float) rnd.nextGaussian(), n, y, x, c);
      }
      for (String head : List.of("classification", "segmentation")) {
        try (FrozenTeacher plain = FrozenTeacher.load(export, head); FrozenTeacher fast = FrozenTeacher.loadOptimized(export, head);
            Result a = plain.run(Map.of("image", image)); Result o = fast.run(Map.of("image", image))) {
          assertTrue(fast.optimization().startsWith("optimised"), fast.optimization());
          float[] x = floats((TFloat32) a.get("logits").orElseThrow());
          float[] y = floats((TFloat32) o.get("logits").orElseThrow());
          assertEquals(x.length, y.length);
          // Folding reorders float32 rounding: equal to 1e-4 relative to the logits' scale.
          double maxDiff = 0;
          double maxAbs = 0;
          for (int i = 0; i < x.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
            maxAbs = Math.max(maxAbs, Math.abs(x[i]));
          }
          assertTrue(maxDiff <= 1e-4 * Math.max(1.0, maxAbs), head + " logits differ by " + maxDiff + " (largest |logit| " + maxAbs + ")");
          assertTrue(maxAbs > 0.1, "the logits are not trivially zero");
        }
      }
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(v, false, false));
    return v;
  }

  private static float[] sortedCopy(float[] v) {
    float[] c = v.clone();
    java.util.Arrays.sort(c);
    return c;
  }

  /** A checkpoint of the freshly initialised model (the exporter restores every variable from one). */
  private String initialisedCheckpoint(MultiTaskTrainingTask task) throws Exception {
    Path prefix = dir.resolve("ckpt/ckpt");
    Files.createDirectories(prefix.getParent());
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 7).withTraining(false);
      task.buildModel(ctx, task.servingInputs(ctx), Mode.PREDICT);
      List<CheckpointVariable> vars = new ArrayList<>();
      for (ModelVariable v : ctx.variables()) vars.add(CheckpointVariable.of(v));
      Saver saver = new Saver(ctx.scope("saver").tf(), vars);
      s.initialize();
      saver.save(s, prefix.toString());
    }
    return prefix.toString();
  }
}
