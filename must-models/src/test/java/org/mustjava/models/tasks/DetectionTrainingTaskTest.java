package org.mustjava.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.train.MetricsFile;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.Trainer;
import org.mustjava.data.synthetic.SceneDomains;
import org.mustjava.data.synthetic.SyntheticDatasetWriter;
import org.mustjava.models.detection.Detections;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A detector (tiny ResNet + FPN + the two-stage {@code DetectionHead}) from a config through
 * {@link Trainer} and the real input pipeline: trains on synthetic 64 px scenes, evaluates VOC and
 * COCO AP over an eval set of 10 scenes with batch 4 (the last batch is padded; every scene counts
 * once), exports, and the reloaded SavedModel detects in calls of 1..4 images.
 */
class DetectionTrainingTaskTest {
  @TempDir static Path data;
  static final int EVAL_SCENES = 10;

  @BeforeAll
  static void generateScenes() throws Exception {
    SyntheticDatasetWriter.generate(SceneDomains.named("indoor"), data.resolve("train").toString(), 24, 64, 1,
        1, "detection", 1, Optional.of(2), false);
    // Eval scenes at 48 px, resized to the 64 px network input: metrics map boxes back to 48 px.
    SyntheticDatasetWriter.generate(SceneDomains.named("indoor"), data.resolve("eval").toString(), EVAL_SCENES, 48,
        2, 1, "detection", 1, Optional.of(2), false);
  }

  static final String CONFIG = String.join("\n",
      "MultiTaskTrainingTask.model = @MultiTaskModel()",
      "MultiTaskTrainingTask.train_files = ['train-*']",
      "MultiTaskTrainingTask.eval_files = ['eval-*']",
      "MultiTaskTrainingTask.train_pipeline = @train/Pipeline",
      "MultiTaskTrainingTask.eval_pipeline = @eval/Pipeline",
      "MultiTaskTrainingTask.metrics = [@VocAP(), @CocoAP()]",
      "MultiTaskTrainingTask.serving_image_size = 64",
      "MultiTaskTrainingTask.serving_batch_size = 4",
      "Pipeline.tasks = ['detection']",
      "Pipeline.image_size = 64",
      "Pipeline.batch_size = 4",
      "Pipeline.max_boxes = 16",
      "train/Pipeline.training = True",
      "train/Pipeline.shuffle_buffer = 16",
      "eval/Pipeline.training = False",
      "MultiTaskModel.backbone = @ResNet()",
      "MultiTaskModel.decoder = @FPN()",
      "MultiTaskModel.heads = [@DetectionHead()]",
      "ResNet.depth = 18",
      "ResNet.width_multiplier = 0.125",
      "FPN.min_level = 2",
      "FPN.max_level = 5",
      "FPN.num_filters = 16",
      "DetectionHead.num_classes = 9",
      "AnchorGenerator.max_level = 5",
      "AnchorGenerator.anchor_size = 4.0",
      "RpnHead.num_convs = 1",
      "RpnHead.num_filters = 16",
      "RpnTargetAssigner.samples_per_image = 64",
      "ProposalGenerator.train_pre_nms_top_k = 300",
      "ProposalGenerator.train_post_nms_top_k = 64",
      "ProposalGenerator.eval_pre_nms_top_k = 300",
      "ProposalGenerator.eval_post_nms_top_k = 32",
      "RoiSampler.samples_per_image = 32",
      "MultilevelRoiAligner.max_level = 4",
      "MultilevelRoiAligner.canonical_size = 32.0",
      "MultilevelRoiAligner.canonical_level = 3",
      "FastRcnnBoxHead.num_convs = 1",
      "FastRcnnBoxHead.num_filters = 16",
      "FastRcnnBoxHead.fc_dims = 64",
      "DetectionGenerator.max_detections_per_image = 10",
      "Trainer.steps = 6",
      "Trainer.seed = 3",
      "Trainer.learning_rate = @CosineDecay()",
      "CosineDecay.rate = 0.01",
      "Trainer.checkpoint_every = 3",
      "Trainer.log_every = 3",
      "Trainer.best_metric = 'detection/voc_ap50'",
      "Trainer.export_final = True",
      "");

  @Test
  void trainsEvaluatesTheWholeEvalSetAndExports(@TempDir Path dir) throws Exception {
    Injector injector = new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("t.conf", CONFIG).build());
    Task task = injector.create(MultiTaskTrainingTask.class).withBaseDirectory(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Trainer trainer = injector.create(Trainer.class)
        .withLogger(new ProgressLogger(new PrintStream(out, true, StandardCharsets.UTF_8), false, 6));
    trainer.train(task, dir, injector.operativeConfig());
    String log = out.toString(StandardCharsets.UTF_8);
    System.out.println(log);
    assertTrue(log.contains("eval at step 6 over " + EVAL_SCENES + " examples"), log);

    Map<String, Double> m = new MetricsFile(dir.resolve("metrics.json")).latest().orElseThrow().metrics();
    for (String key : new String[] {"detection/voc_ap50", "detection/coco_ap", "detection/coco_ap50",
        "loss/detection"}) {
      assertTrue(m.containsKey(key), key + " in " + m);
    }
    assertTrue(Double.isFinite(m.get("detection/voc_ap50")) && m.get("detection/voc_ap50") >= 0, m.toString());
    assertTrue(Double.isFinite(m.get("loss/detection")), m.toString());

    Path export = dir.resolve("export/final");
    assertTrue(Files.isRegularFile(export.resolve("saved_model.pb")), log);
    try (SavedModelBundle model = SavedModelBundle.load(export.toString(), SavedModelBundle.DEFAULT_TAG)) {
      SessionFunction detect = model.function("detection");
      for (int images : new int[] {1, 3, 4}) {
        try (TFloat32 batch = TFloat32.tensorOf(Shape.of(images, 64, 64, 3));
            Result r = detect.call(Map.of("image", batch))) {
          TFloat32 boxes = (TFloat32) r.get(Detections.NORMALIZED_BOXES).orElseThrow();
          TInt32 counts = (TInt32) r.get(Detections.COUNT).orElseThrow();
          TInt32 classes = (TInt32) r.get(Detections.CLASSES).orElseThrow();
          Tensor scores = r.get(Detections.SCORES).orElseThrow();
          assertEquals(Shape.of(images, 10, 4), boxes.shape());
          assertEquals(Shape.of(images, 10), scores.shape());
          assertEquals(Shape.of(images), counts.shape());
          for (int i = 0; i < images; i++) {
            assertTrue(counts.getInt(i) >= 0 && counts.getInt(i) <= 10);
            for (int d = 0; d < 10; d++) {
              int c = classes.getInt(i, d);
              assertTrue(d < counts.getInt(i) ? c >= 1 && c <= 9 : c == 0, "class " + c);
              for (int k = 0; k < 4; k++) {
                float v = boxes.getFloat(i, d, k);
                assertTrue(v >= 0 && v <= 1, "normalised box coordinate " + v);
              }
            }
          }
        }
      }
      try (TFloat32 tooMany = TFloat32.tensorOf(Shape.of(5, 64, 64, 3))) {
        Exception e = assertThrows(Exception.class, () -> detect.call(Map.of("image", tooMany)).close());
        assertTrue(e.getMessage().contains("at most 4 images"), e.getMessage());
      }
    }
  }
}
