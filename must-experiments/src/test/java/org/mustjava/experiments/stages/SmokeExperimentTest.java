package org.mustjava.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.core.train.MetricsFile;
import org.mustjava.experiments.testing.Launches;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * {@code experiments/mini/smoke.conf} through the launcher, shortened by bindings (fewer scenes
 * and steps): every output the run promises exists, and a rerun does no work.
 */
class SmokeExperimentTest {
  static final Path CONFIG = Path.of("..", "experiments", "mini", "smoke.conf");
  @TempDir Path modelDir;

  private String[] args() {
    return new String[] {
        "--config", CONFIG.toString(), "--model_dir", modelDir.toString(),
        "--binding", "STEPS = 24",
        "--binding", "train/SyntheticDataset.num_scenes = 48",
        "--binding", "eval/SyntheticDataset.num_scenes = 16",
        "--binding", "Trainer.eval_every = 12",
        "--binding", "Trainer.checkpoint_every = 12",
        "--binding", "Trainer.image_summary_every = 12",
        "--binding", "Trainer.log_every = 12"};
  }

  private String run() {
    return Launches.succeed(args());
  }

  @Test
  void smokeRunLeavesAllOutputsAndRerunDoesNothing() throws Exception {
    String first = run();
    assertTrue(first.contains("step 24/24"), first);
    Path stage = modelDir.resolve("smoke");
    assertTrue(Files.readString(modelDir.resolve("operative_config.conf")).contains("Trainer.steps = 24"));
    assertTrue(Files.isRegularFile(stage.resolve("checkpoints/index.json")));
    assertTrue(Files.isRegularFile(stage.resolve("checkpoints/ckpt-24/manifest.json")));
    assertTrue(Files.isRegularFile(stage.resolve("export/best/saved_model.pb")));
    assertTrue(Files.isRegularFile(stage.resolve("export/final/saved_model.pb")));
    MetricsFile metrics = new MetricsFile(stage.resolve("metrics.json"));
    assertEquals(List.of(12L, 24L), metrics.history().stream().map(MetricsFile.Evaluation::step).toList());
    for (String key : List.of("classification/top1", "classification/top5", "segmentation/miou", "depth/delta1",
        "depth/abs_rel", "depth/rmse")) {
      assertTrue(metrics.latest().get().metrics().containsKey(key), key);
    }

    Set<String> trainTags = tags(stage.resolve("train"));
    for (String tag : List.of("loss/classification", "loss/segmentation", "loss/depth", "loss/total", "learning_rate",
        "images_per_second", "operative_config", "input/image/0", "segmentation/prediction/image/0")) {
      assertTrue(trainTags.contains(tag), tag + " in " + trainTags);
    }
    assertTrue(tags(stage.resolve("eval")).contains("segmentation/miou"));

    String second = run();
    assertTrue(second.contains("== stage 1/2 data: cached (fingerprint "), second);
    assertTrue(second.contains("== stage 2/2 smoke: cached (fingerprint "), second);
    assertFalse(second.contains("step 1/"), second);
  }

  /** Summary tags of every event file in {@code dir}, read with the project's CRC-checking reader. */
  private static Set<String> tags(Path dir) throws Exception {
    Set<String> tags = new HashSet<>();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).forEach(files::add);
    }
    assertFalse(files.isEmpty(), "no event file in " + dir);
    for (Path f : files) {
      for (byte[] record : TFRecordReader.readAll(f)) {
        for (Summary.Value v : Event.parseFrom(record).getSummary().getValueList()) tags.add(v.getTag());
      }
    }
    return tags;
  }
}
