package org.mustjava.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.experiments.testing.Launches;
import org.tensorflow.proto.Example;

/**
 * {@code experiments/mini/must.conf}, the README's main job, through the launcher and every stage
 * (data, four teachers, pseudo-labelling, the student, the fine-tuning grid, the results table),
 * shortened by bindings to a few scenes and steps: each stage leaves what the next one reads, the
 * pseudo-labelled records carry every task's label, the table has a row per pre-training and a
 * column per downstream task, and a rerun does nothing.
 */
@Tag("slow")
class MustExperimentTest {
  static final Path CONFIG = Path.of("..", "experiments", "mini", "must.conf");
  @TempDir Path modelDir;

  private String[] args() {
    return new String[] {
        "--config", CONFIG.toString(), "--model_dir", modelDir.toString(),
        "--binding", "TEACHER_SCENES = 16",
        "--binding", "UNLABELLED_SCENES = 16",
        "--binding", "DOWNSTREAM_SCENES = 16",
        "--binding", "EVAL_SCENES = 8",
        "--binding", "TEACHER_STEPS = 3",
        "--binding", "STUDENT_STEPS = 3",
        "--binding", "FINETUNE_STEPS = [2]",
        "--binding", "CosineDecay.warmup_steps = 1"};
  }

  private String run() {
    return Launches.succeed(args());
  }

  @Test
  void everyStageRunsAndTheResultsTableComparesThePreTrainings() throws Exception {
    String first = run();
    for (String teacher : List.of("classification", "detection", "segmentation", "depth")) {
      assertTrue(Files.isRegularFile(modelDir.resolve("teachers/" + teacher + "/export/final/saved_model.pb")), teacher);
    }

    // Pseudo labels: every unlabelled image, with every teacher's label in the project's format.
    Path pseudo = modelDir.resolve("pseudo_labels");
    JsonObject stats = JsonParser.parseString(Files.readString(pseudo.resolve("label_stats.json"))).getAsJsonObject();
    assertEquals(4, stats.size(), stats.toString());
    int records = 0;
    try (var shards = Files.list(pseudo)) {
      for (Path shard : shards.filter(p -> p.getFileName().toString().startsWith("train-")).sorted().toList()) {
        try (TFRecordReader r = TFRecordReader.open(shard)) {
          byte[] record;
          while ((record = r.read()) != null) {
            var features = Example.parseFrom(record).getFeatures().getFeatureMap();
            assertEquals(10, features.get(FeatureKeys.CLASS_PROBABILITIES).getFloatList().getValueCount());
            assertTrue(features.containsKey(FeatureKeys.OBJECT_CLASS_LABEL));
            assertTrue(features.containsKey(FeatureKeys.SEGMENTATION_ENCODED));
            assertEquals(FeatureKeys.DEPTH_METRIC,
                features.get(FeatureKeys.DEPTH_TYPE).getBytesList().getValue(0).toStringUtf8());
            records++;
          }
        }
      }
    }
    assertEquals(16, records, "one record per unlabelled image");

    // The student trained on them with the loss weights of the paper's rule (batch 8 everywhere:
    // w = lr_teacher / lr_student; detection 0.02 / 0.05).
    String operative = Files.readString(modelDir.resolve("operative_config.conf"));
    java.util.regex.Matcher weights = java.util.regex.Pattern.compile(
        "# Returns: \\{'classification': ([0-9.]+), 'detection': ([0-9.]+), 'segmentation': ([0-9.]+), 'depth': ([0-9.]+)\\}")
        .matcher(operative);
    assertTrue(weights.find(), operative);
    double[] expected = {1.0, 0.02 / 0.05, 1.0, 1.0};
    for (int i = 0; i < 4; i++) assertEquals(expected[i], Double.parseDouble(weights.group(i + 1)), 1e-12);
    assertTrue(Files.isRegularFile(modelDir.resolve("student/checkpoints/ckpt-3/manifest.json")));

    // Fine-tuning: 3 pre-trainings x 3 downstream tasks, one cell each; the table compares them.
    String table = Files.readString(modelDir.resolve("results.md"));
    for (String row : List.of("random", "supervised", "must")) {
      assertTrue(table.contains("| " + row + " |"), row + " in\n" + table);
    }
    for (String column : List.of("classification", "segmentation", "depth")) {
      assertTrue(table.contains(column), column + " in\n" + table);
    }
    assertTrue(Files.size(modelDir.resolve("results.png")) > 1000);
    assertTrue(first.contains("| must |"), "the table is printed:\n" + first);
    String supervisedRestore = Files.readString(
        modelDir.resolve("finetune/supervised/classification/0.05_2/restore_report.json"));
    assertTrue(supervisedRestore.contains("backbone/"), supervisedRestore);

    String second = run();
    assertTrue(second.contains("== stage 15/15 results: cached"), second);
    assertFalse(second.contains("== running stage"), second);
  }
}
