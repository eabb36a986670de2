package org.mustjava.models.tasks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

/**
 * The paper's evaluation protocol wired from a config: a 24 px eval input for 32 px scenes, the
 * eval pipeline emitting original-resolution labels, and the metrics scoring at that resolution;
 * classification on the centre crop of a separate pipeline is covered by the pipeline tests.
 */
class OriginalResolutionEvalTest {
  @TempDir static Path data;

  @BeforeAll
  static void generateScenes() throws Exception {
    SyntheticDatasetWriter.generate(SceneDomains.named("tabletop"), data.resolve("train").toString(), 8, 32, 1,
        1, "segmentation,depth,normals", 1, java.util.Optional.of(2), false);
    SyntheticDatasetWriter.generate(SceneDomains.named("tabletop"), data.resolve("eval").toString(), 5, 32, 2,
        1, "segmentation,depth,normals", 1, java.util.Optional.of(2), false);
  }

  @Test
  void metricsAtTheLabelResolutionThroughTheTrainer(@TempDir Path dir) throws Exception {
    String config = String.join("\n",
        "MultiTaskTrainingTask.model = @MultiTaskModel()",
        "MultiTaskTrainingTask.train_files = ['train-*']",
        "MultiTaskTrainingTask.eval_files = ['eval-*']",
        "MultiTaskTrainingTask.train_pipeline = @train/Pipeline",
        "MultiTaskTrainingTask.eval_pipeline = @eval/Pipeline",
        "MultiTaskTrainingTask.metrics = [@MeanIoU(), @DepthMetrics(), @NormalsMetrics()]",
        "Pipeline.tasks = ['segmentation', 'depth', 'normals']",
        "Pipeline.batch_size = 2",
        "train/Pipeline.image_size = 32",
        "train/Pipeline.training = True",
        "train/Pipeline.shuffle_buffer = 8",
        "eval/Pipeline.image_size = 24",
        "eval/Pipeline.training = False",
        "eval/Pipeline.original_labels = True",
        "MultiTaskModel.backbone = @ResNet()",
        "MultiTaskModel.decoder = @FPN()",
        "MultiTaskModel.heads = [@SegmentationHead(), @DepthHead(), @NormalsHead()]",
        "ResNet.depth = 18",
        "ResNet.width_multiplier = 0.125",
        "FPN.max_level = 5",
        "FPN.num_filters = 8",
        "SegmentationHead.num_classes = 10",
        "SegmentationHead.hidden_filters = 8",
        "DepthHead.hidden_filters = 8",
        "DepthHead.activation = 'softplus'",
        "DepthHead.loss = @MetricDepthLoss()",
        "NormalsHead.hidden_filters = 8",
        "MeanIoU.num_classes = 10",
        "MeanIoU.predictions = 'segmentation/logits'",
        "MeanIoU.original_resolution = True",
        "DepthMetrics.original_resolution = True",
        "DepthMetrics.max_depth = 20.0",
        "NormalsMetrics.original_resolution = True",
        "Trainer.steps = 2",
        "Trainer.seed = 3",
        "Trainer.log_every = 100",
        "");
    Injector injector = new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("eval.conf", config).build());
    Task task = injector.create(MultiTaskTrainingTask.class).withBaseDirectory(data);
    injector.create(Trainer.class)
        .withLogger(new ProgressLogger(new PrintStream(OutputStream.nullOutputStream()), false, 2))
        .train(task, dir, injector.operativeConfig());
    Map<String, Double> m = new MetricsFile(dir.resolve("metrics.json")).latest().orElseThrow().metrics();
    for (String key : List.of("segmentation/miou", "depth/delta1", "depth/abs_rel", "normals/under_11.25",
        "normals/median_angle")) {
      assertTrue(m.containsKey(key) && Double.isFinite(m.get(key)), key + " in " + m);
    }
  }
}
