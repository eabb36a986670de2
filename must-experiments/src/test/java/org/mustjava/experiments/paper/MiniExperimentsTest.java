package org.mustjava.experiments.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.experiments.testing.Launches;
import org.tensorflow.proto.Example;

/**
 * The mini experiments end to end through the launcher, in the reduced form CI affords, one after
 * the other into one model directory as experiments/README.md suggests: first the README's main job
 * ({@code experiments/mini/must.conf}: data, four teachers, pseudo-labelling, the student, the
 * fine-tuning grid, the results table), then every paper table ({@code experiments/mini/table*.conf})
 * and the figure ({@code figure1_predictions.conf}).
 * Reduced by bindings: a few scenes, 2-3 steps per stage, 16 Fashion-MNIST images, and each table's
 * grid cut to one or two of its seven columns (with the main job's three they cover all seven; the
 * full grids are run by hand, BENCHMARKS.md "Mini tables"), to stay inside CI's time budget. Every stage of every table runs; each table gets
 * its results with its rows; a later table reuses the stages an earlier one finished; a rerun of a
 * finished experiment does nothing.
 */
@Tag("slow")
class MiniExperimentsTest {
  static final String MUST = "must";

  /** Each table's rows (its FineTuneGrid.pretrainings) and the columns CI runs of it. */
  record Table(List<String> rows, List<String> columns, String columnsBinding) {}

  static final Map<String, Table> TABLES = new LinkedHashMap<>();

  static {
    // The main job's grid covers classification, segmentation and depth; the tables' cover the other
    // four columns, plus the cheapest one, classification, where a table has many rows (detection on
    // the smallest table: its cells are the slowest to build).
    TABLES.put("table1_imagenet", new Table(List.of("random", "supervised", "simclr", "self_training_classification",
        "self_training_detection", "self_training_segmentation", "self_training_depth", "must"),
        List.of("classification"), "[@cifar/DownstreamTask()]"));
    TABLES.put("table2_jft", new Table(List.of("supervised_jft", "simclr_jft", "must_jft"),
        List.of("ade20k", "fashion_mnist"), "[@ade20k/DownstreamTask(), @fashion_mnist/DownstreamTask()]"));
    TABLES.put("table3_teachers", new Table(List.of("cls", "cls_det", "cls_det_seg", "cls_det_seg_depth"),
        List.of("normals"), "[@diode/DownstreamTask()]"));
    TABLES.put("table4_cross_dataset", new Table(List.of("supervised", "must", "must_plus_supervised"),
        List.of("classification"), "[@cifar/DownstreamTask()]"));
    TABLES.put("table5_strong_checkpoint", new Table(List.of("supervised", "supervised_then_must"),
        List.of("detection"), "[@pascal_det/DownstreamTask()]"));
  }

  @TempDir Path modelDir;

  /** The same shrinking bindings for every experiment, so that the stages they share are the same stages. */
  private String[] args(String experiment, String... more) {
    List<String> a = new ArrayList<>(List.of(
        "--config", Path.of("..", "experiments", "mini", experiment + ".conf").toString(),
        "--model_dir", modelDir.toString(),
        "--binding", "TEACHER_SCENES = 16",
        "--binding", "UNLABELLED_SCENES = 16",
        "--binding", "LARGE_UNLABELLED_SCENES = 24",
        "--binding", "DOWNSTREAM_SCENES = 16",
        "--binding", "EVAL_SCENES = 8",
        "--binding", "FASHION_MNIST_EXAMPLES = 16",
        "--binding", "TEACHER_STEPS = 3",
        "--binding", "STUDENT_STEPS = 3",
        "--binding", "SIMCLR_STEPS = 2",
        "--binding", "SIMCLR_BATCH = 8",
        "--binding", "FINETUNE_STEPS = [2]",
        "--binding", "CosineDecay.warmup_steps = 1",
        "--binding", "simclr/CosineDecay.warmup_steps = 1"));
    for (String m : more) {
      a.add("--binding");
      a.add(m);
    }
    return a.toArray(String[]::new);
  }

  @Test
  void theMainJobAndEveryPaperTableRunThroughEveryStage() throws Exception {
    mainJob();
    Map<String, String> logs = new LinkedHashMap<>();
    for (Map.Entry<String, Table> e : TABLES.entrySet()) {
      String name = e.getKey();
      Table table = e.getValue();
      assertTrue(PaperExperiments.byName(name).isPresent(), name + " is registered");
      String log = Launches.succeed(args(name, "FineTuneGrid.tasks = " + table.columnsBinding()));
      logs.put(name, log);
      String prefix = name.substring(0, name.indexOf('_'));
      String results = Files.readString(modelDir.resolve(prefix + "/results/results.md"));
      for (String row : table.rows()) {
        assertTrue(results.contains("| " + row + " |"), name + ": row " + row + " in\n" + results);
      }
      for (String column : table.columns()) {
        assertTrue(results.contains(column), name + ": column " + column + " in\n" + results);
      }
      assertEquals(table.rows().size() * table.columns().size(), completeCells(modelDir.resolve(prefix + "/finetune")),
          name + ": every cell complete");
      assertTrue(Files.size(modelDir.resolve(prefix + "/results/results.png")) > 1000);
    }

    // Shared stages run once: the tables reuse the main job's teachers, pseudo labels and student,
    // table 3 also table 1's single-task classification student; table 2 labels its larger set itself.
    String table1 = logs.get("table1_imagenet");
    for (String shared : List.of("teachers/detection", "pseudo_labels", "student")) {
      assertTrue(table1.contains(" " + shared + ": cached"), shared + " cached in\n" + table1);
    }
    assertTrue(logs.get("table3_teachers").contains(" students/classification: cached"), logs.get("table3_teachers"));
    assertTrue(logs.get("table2_jft").contains(" jft/pseudo_labels: runs"), logs.get("table2_jft"));
    // Table 5's student started from the supervised checkpoint (resolved against the model directory).
    String table5 = logs.get("table5_strong_checkpoint");
    assertTrue(table5.contains("initialised from " + modelDir.resolve("teachers/classification/checkpoints")), table5);

    // Figure 1: the five-teacher student's panels (data and four teachers shared with the tables).
    String figure = Launches.succeed(args("figure1_predictions"));
    assertTrue(figure.contains(" teachers/depth: cached"), figure);
    Path panels = modelDir.resolve("figure1/panels");
    for (int i = 0; i < 8; i++) {
      Path png = panels.resolve(String.format("panel_%03d.png", i));
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
      assertTrue(image != null && image.getWidth() >= 6 * image.getHeight() / 2, png + ": input + five task tiles side by side");
    }
    try (Stream<Path> files = Files.list(panels)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("events.out.tfevents.")), "TensorBoard images");
    }

    String again = Launches.succeed(args("table1_imagenet", "FineTuneGrid.tasks = " + TABLES.get("table1_imagenet").columnsBinding()));
    assertFalse(again.contains("== running stage"), again);
    assertTrue(again.contains("table1/finetune: cached"), again);
  }

  /** experiments/mini/must.conf, the README's main job: what each stage leaves, and the table. */
  private void mainJob() throws Exception {
    String first = Launches.succeed(args(MUST));
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

    String second = Launches.succeed(args(MUST));
    assertTrue(second.contains("== stage 15/15 results: cached"), second);
    assertFalse(second.contains("== running stage"), second);
  }

  private static int completeCells(Path grid) throws Exception {
    List<Path> cells = new ArrayList<>();
    try (Stream<Path> files = Files.walk(grid)) {
      files.filter(p -> p.getFileName().toString().equals("cell.json")).forEach(cells::add);
    }
    int complete = 0;
    for (Path c : cells) if (Files.readString(c).contains("\"complete\"")) complete++;
    return complete;
  }
}
