package org.mustjava.models.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.mustjava.core.train.StepListener;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TrainResult;
import org.mustjava.core.train.Trainer;
import org.mustjava.data.synthetic.SceneDomains;
import org.mustjava.data.synthetic.SyntheticDatasetWriter;

/**
 * The real pipeline + multi-task model through the engine: training on synthetic scenes with
 * evaluation, and an interrupted run (stopped after a checkpoint, restarted) reproducing the losses
 * of an uninterrupted one bit for bit, which needs the pipeline to resume at the right example.
 */
class MultiTaskTrainingTaskTest {
  @TempDir static Path data;

  @BeforeAll
  static void generateScenes() throws Exception {
    SyntheticDatasetWriter.generate(SceneDomains.named("tabletop"), data.resolve("train").toString(), 48, 32, 1,
        1, "classification,segmentation,depth", 1, java.util.Optional.of(2), false);
    SyntheticDatasetWriter.generate(SceneDomains.named("tabletop"), data.resolve("eval").toString(), 12, 32, 2,
        1, "classification,segmentation,depth", 1, java.util.Optional.of(2), false);
    // A "real labelled" set carrying classification labels only, another domain.
    SyntheticDatasetWriter.generate(SceneDomains.named("indoor"), data.resolve("cls").toString(), 16, 32, 3,
        1, "classification", 1, java.util.Optional.of(1), false);
  }

  static String config(long steps) {
    return String.join("\n",
        "MultiTaskTrainingTask.model = @MultiTaskModel()",
        "MultiTaskTrainingTask.train_files = ['train-*']",
        "MultiTaskTrainingTask.eval_files = ['eval-*']",
        "MultiTaskTrainingTask.train_pipeline = @train/Pipeline",
        "MultiTaskTrainingTask.eval_pipeline = @eval/Pipeline",
        "MultiTaskTrainingTask.metrics = [@TopKAccuracy(), @MeanIoU(), @DepthMetrics()]",
        "Pipeline.tasks = ['classification', 'segmentation', 'depth']",
        "Pipeline.image_size = 32",
        "Pipeline.batch_size = 4",
        "train/Pipeline.training = True",
        "train/Pipeline.shuffle_buffer = 16",
        "eval/Pipeline.training = False",
        "MultiTaskModel.backbone = @ResNet()",
        "MultiTaskModel.decoder = @FPN()",
        "MultiTaskModel.heads = [@ClassificationHead(), @SegmentationHead(), @DepthHead()]",
        "ResNet.depth = 18",
        "ResNet.width_multiplier = 0.125",
        "FPN.max_level = 5",
        "FPN.num_filters = 16",
        "ClassificationHead.num_classes = 10",
        "ClassificationLoss.label_smoothing = 0.1",
        "SegmentationHead.num_classes = 10",
        "SegmentationHead.hidden_filters = 16",
        "DepthHead.hidden_filters = 16",
        "DepthHead.activation = 'softplus'",
        "DepthHead.loss = @MetricDepthLoss()",
        "MeanIoU.num_classes = 10",
        "Trainer.steps = " + steps,
        "Trainer.seed = 3",
        "Trainer.learning_rate = @CosineDecay()",
        "CosineDecay.rate = 0.02",
        "Trainer.weight_decay = 1e-4",
        "Trainer.checkpoint_every = 6",
        "Trainer.log_every = 100",
        "");
  }

  /** Thrown by a listener to interrupt a run (as a crash would) after a given step. */
  static final class Interrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  /** Trains to {@code steps}; with {@code stopAfter > 0} the run is interrupted after that step. */
  private static List<Long> train(Path dir, long steps, long stopAfter) throws Exception {
    return train(dir, config(steps), steps, stopAfter, new PrintStream(OutputStream.nullOutputStream()));
  }

  private static List<Long> train(Path dir, String config, long steps, long stopAfter) throws Exception {
    return train(dir, config, steps, stopAfter, new PrintStream(OutputStream.nullOutputStream()));
  }

  private static List<Long> train(Path dir, String config, long steps, long stopAfter, PrintStream log) throws Exception {
    Injector injector = new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("t.conf", config).build());
    Task task = injector.create(MultiTaskTrainingTask.class).withBaseDirectory(data);
    List<Long> losses = new ArrayList<>();
    Trainer trainer = injector.create(Trainer.class)
        .withLogger(new ProgressLogger(log, false, steps))
        .addListener(new StepListener() {
          @Override
          public void onStep(long step, Map<String, Double> l, double lr) {
            losses.add(Double.doubleToRawLongBits(l.get("total")));
            if (step == stopAfter) throw new Interrupted();
          }
        });
    try {
      TrainResult r = trainer.train(task, dir, injector.operativeConfig());
      assertEquals(steps, r.finalStep());
    } catch (Interrupted expected) {
      assertTrue(stopAfter > 0);
    }
    return losses;
  }

  @Test
  void resumedTrainingMatchesUninterruptedTraining(@TempDir Path dir) throws Exception {
    List<Long> full = train(dir.resolve("full"), 12, 0);
    assertEquals(12, full.size());
    // Interrupted after step 8: the checkpoint of step 6 is the latest; the rerun resumes there.
    List<Long> first = train(dir.resolve("split"), 12, 8);
    // The checkpoint holds the input iterator's position: the resumed run restores it (no replay
    // of 6 x 4 examples through the pipeline), and the losses still match bit for bit.
    assertTrue(org.mustjava.core.checkpoint.IteratorState.exists(dir.resolve("split/checkpoints/ckpt-6")));
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    List<Long> rest = train(dir.resolve("split"), config(12), 12, 0, new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(log.toString(java.nio.charset.StandardCharsets.UTF_8).contains("input stream restored from"), log.toString());
    assertEquals(full.subList(0, 8), first);
    assertEquals(full.subList(6, 12), rest, "losses after resuming at step 6");
    MetricsFile metrics = new MetricsFile(dir.resolve("full/metrics.json"));
    Map<String, Double> m = metrics.latest().orElseThrow().metrics();
    for (String key : List.of("classification/top1", "segmentation/miou", "depth/delta1", "depth/rmse")) {
      assertTrue(m.containsKey(key) && Double.isFinite(m.get(key)), key + " in " + m);
    }
    assertTrue(Files.isDirectory(dir.resolve("full/eval")));
  }

  @Test
  void aCorruptTrainingRecordNamesItsFileAndOffset(@TempDir Path dir) throws Exception {
    Path corrupt = Files.createDirectories(dir.resolve("data"));
    try (var files = Files.list(data)) {
      for (Path f : files.toList()) Files.copy(f, corrupt.resolve(f.getFileName()));
    }
    Path shard;
    try (var files = Files.list(corrupt)) {
      shard = files.filter(f -> f.getFileName().toString().startsWith("train-")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(shard);
    int at = bytes.length / 2;
    bytes[at] ^= 0x5a;
    Files.write(shard, bytes);
    Injector injector = new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("t.conf", config(6)).build());
    Task task = injector.create(MultiTaskTrainingTask.class).withBaseDirectory(corrupt);
    Trainer trainer = injector.create(Trainer.class)
        .withLogger(new ProgressLogger(new PrintStream(OutputStream.nullOutputStream()), false, 6));
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> trainer.train(task, dir.resolve("run"), ""));
    String message = String.valueOf(e.getMessage());
    assertTrue(message.contains(shard.toString()), "names the file: " + message);
    assertTrue(message.contains("corrupt"), message);
  }

  /** With {@code Pipeline.skip_corrupt}, the same flipped byte is skipped, counted and reported. */
  @Test
  void withSkipCorruptACorruptTrainingRecordIsSkippedAndCounted(@TempDir Path dir) throws Exception {
    Path corrupt = Files.createDirectories(dir.resolve("data"));
    try (var files = Files.list(data)) {
      for (Path f : files.toList()) Files.copy(f, corrupt.resolve(f.getFileName()));
    }
    Path shard;
    try (var files = Files.list(corrupt)) {
      shard = files.filter(f -> f.getFileName().toString().startsWith("train-")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(shard, bytes);
    // 12 steps x 4 = 48 examples: more than the one shard's records before the flipped byte, so the
    // stream meets it at least once.
    String config = config(12) + "Pipeline.skip_corrupt = True\n";
    Injector injector = new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("t.conf", config).build());
    Task task = injector.create(MultiTaskTrainingTask.class).withBaseDirectory(corrupt);
    java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    Trainer trainer = injector.create(Trainer.class)
        .withLogger(new ProgressLogger(new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8), false, 12));
    TrainResult r = trainer.train(task, dir.resolve("run"), "");
    assertEquals(12, r.finalStep());
    String text = log.toString(java.nio.charset.StandardCharsets.UTF_8);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("skipped (\\d+) corrupt training records in steps 1-12").matcher(text);
    assertTrue(m.find(), text);
    assertTrue(Long.parseLong(m.group(1)) >= 1, text);
    // The eval set is intact: its pass counts nothing.
    Map<String, Double> metrics = new MetricsFile(dir.resolve("run/metrics.json")).latest().orElseThrow().metrics();
    assertEquals(0.0, metrics.get("input/corrupt_records_skipped"), metrics.toString());
  }

  /**
   * "MuST + supervised labels": a classification-only set mixed into the fully labelled one (its
   * relative pattern resolved against the model's base directory, like train_files). Training
   * runs, and an interrupted run resumes on the same mixed stream.
   */
  @Test
  void mixedInLabelledSetTrainsAndResumesExactly(@TempDir Path dir) throws Exception {
    String mixed = config(10) + String.join("\n",
        "train/Pipeline.mixed_in = [@cls/DataSource()]",
        "train/cls/DataSource.files = ['cls-*']",
        "train/cls/DataSource.labels = ['classification']",
        "MultiTaskTrainingTask.eval_files = []",
        "MultiTaskTrainingTask.metrics = []",
        "");
    List<Long> full = train(dir.resolve("full"), mixed, 10, 0);
    assertEquals(10, full.size());
    for (long bits : full) assertTrue(Double.isFinite(Double.longBitsToDouble(bits)));
    List<Long> first = train(dir.resolve("split"), mixed, 10, 7);
    List<Long> rest = train(dir.resolve("split"), mixed, 10, 0);
    assertEquals(full.subList(0, 7), first);
    assertEquals(full.subList(6, 10), rest, "losses after resuming at step 6");
  }
}
