package org.mustjava.experiments.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.mustjava.experiments.testing.Launches;

/**
 * Every mini table of the paper ({@code experiments/mini/table*.conf}) through the launcher and
 * every one of its stages, in the reduced form CI affords (bindings: a few scenes, 2-3 steps per
 * stage, a few Fashion-MNIST images), one after the other into one model directory as the README
 * suggests: each table has its results table with its rows and the seven columns, a later table
 * reuses the stages an earlier one finished, and a rerun of a finished table does nothing.
 */
@Tag("slow")
class MiniTablesTest {
  /** The columns of every table (common/downstream.conf, ALL_TASKS). */
  static final List<String> COLUMNS =
      List.of("classification", "detection", "segmentation", "ade20k", "depth", "normals", "fashion_mnist");

  /** Each table's rows (its FineTuneGrid.pretrainings). */
  static final Map<String, List<String>> ROWS = new LinkedHashMap<>();

  static {
    ROWS.put("table1_imagenet", List.of("random", "supervised", "simclr", "self_training_classification",
        "self_training_detection", "self_training_segmentation", "self_training_depth", "must"));
    ROWS.put("table2_jft", List.of("supervised_jft", "simclr_jft", "must_jft"));
    ROWS.put("table3_teachers", List.of("cls", "cls_det", "cls_det_seg", "cls_det_seg_depth"));
    ROWS.put("table4_cross_dataset", List.of("supervised", "must", "must_plus_supervised"));
    ROWS.put("table5_strong_checkpoint", List.of("supervised", "supervised_then_must"));
  }

  @TempDir Path modelDir;

  private String[] args(String table) {
    return new String[] {
        "--config", Path.of("..", "experiments", "mini", table + ".conf").toString(),
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
        "--binding", "simclr/CosineDecay.warmup_steps = 1"};
  }

  @Test
  void everyMiniTableRunsThroughEveryStageAndARerunDoesNothing() throws Exception {
    Map<String, String> logs = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> table : ROWS.entrySet()) {
      assertTrue(PaperExperiments.byName(table.getKey()).isPresent(), table.getKey() + " is registered");
      String log = Launches.succeed(args(table.getKey()));
      logs.put(table.getKey(), log);
      String prefix = table.getKey().substring(0, table.getKey().indexOf('_'));
      String results = Files.readString(modelDir.resolve(prefix + "/results/results.md"));
      for (String row : table.getValue()) {
        assertTrue(results.contains("| " + row + " |"), table.getKey() + ": row " + row + " in\n" + results);
      }
      for (String column : COLUMNS) {
        assertTrue(results.contains(column), table.getKey() + ": column " + column + " in\n" + results);
      }
      assertEquals(table.getValue().size() * COLUMNS.size(), completeCells(modelDir.resolve(prefix + "/finetune")),
          table.getKey() + ": every cell complete");
      assertTrue(Files.size(modelDir.resolve(prefix + "/results/results.png")) > 1000);
    }

    // Tables share the stages they have in common: table 3 reuses table 1's teachers, pseudo labels
    // and single-task classification student; table 2 labels its larger set itself.
    String table3 = logs.get("table3_teachers");
    for (String shared : List.of("teachers/detection", "pseudo_labels", "students/classification", "student")) {
      assertTrue(table3.contains(" " + shared + ": cached"), shared + " cached in\n" + table3);
    }
    assertTrue(logs.get("table2_jft").contains("jft/pseudo_labels: runs"), logs.get("table2_jft"));
    // Table 5's student started from the supervised checkpoint.
    assertTrue(logs.get("table5_strong_checkpoint").contains("initialised from"), logs.get("table5_strong_checkpoint"));

    String again = Launches.succeed(args("table1_imagenet"));
    assertFalse(again.contains("== running stage"), again);
    assertTrue(again.contains("table1/finetune: cached"), again);
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
