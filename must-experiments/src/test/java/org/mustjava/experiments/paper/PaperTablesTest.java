package org.mustjava.experiments.paper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.experiments.Main;

/**
 * The paper-scale table configs ({@code experiments/tableN_*.conf}) through the launcher: with every
 * data-set macro given, each resolves into its stages; a missing macro stops the run naming the
 * macro and its converter command; and {@code --dry_run --build_graphs} builds the graph of every
 * stage of table 1, with the network and images made tiny by bindings (ResNet-18 x0.25, 64-128 px,
 * batch 1: the paper's ResNet-152 at 640 px is for the hand run reported in experiments/README.md).
 */
class PaperTablesTest {
  private static final Path EXPERIMENTS = Path.of("..", "experiments");
  /** Every required macro of the five tables and the figure, bound to paths that do not exist. */
  private static final List<String> DATA = List.of(
      "IMAGENET_TRAIN = '/data/imagenet/imagenet-train-*'", "IMAGENET_VAL = '/data/imagenet/imagenet-validation-*'",
      "OBJECTS365_TRAIN = '/data/objects365/objects365-train-*'", "COCO_TRAIN = '/data/coco/coco-pan-train2017-*'",
      "COCO_VAL = '/data/coco/coco-pan-val2017-*'", "MIDAS_SAVED_MODEL = '/models/midas'", "STUDENT_STEPS = 1000",
      "JFT_TRAIN = '/data/jft/jft-train-*'", "STRONG_CHECKPOINT = '/checkpoints/strong/checkpoints'",
      "CIFAR100_TRAIN = '/data/cifar100/train-*'", "CIFAR100_EVAL = '/data/cifar100/test-*'",
      "PASCAL_DET_TRAIN = '/data/voc/trainval-*'", "PASCAL_DET_EVAL = '/data/voc/test-*'",
      "PASCAL_SEG_TRAIN = '/data/voc/seg-train-*'", "PASCAL_SEG_EVAL = '/data/voc/seg-val-*'",
      "ADE20K_TRAIN = '/data/ade20k/training-*'", "ADE20K_EVAL = '/data/ade20k/validation-*'",
      "NYU_TRAIN = '/data/nyu/train-*'", "NYU_EVAL = '/data/nyu/test-*'",
      "DIODE_TRAIN = '/data/diode/train-*'", "DIODE_EVAL = '/data/diode/val-*'");
  /** The tiny network and images: recipe macros and the fine-tuning tasks' own sizes. */
  private static final List<String> TINY = List.of(
      "ResNet.depth = 18", "ResNet.width_multiplier = 0.25", "FPN.num_filters = 16",
      "CLS_TEACHER_IMAGE_SIZE = 64", "DET_TEACHER_IMAGE_SIZE = 128", "SEG_TEACHER_IMAGE_SIZE = 128",
      "STUDENT_IMAGE_SIZE = 128", "SIMCLR_IMAGE_SIZE = 32",
      // Batch 1: the detector's per-image ops are unrolled over the batch.
      "CLS_TEACHER_BATCH = 1", "DET_TEACHER_BATCH = 1", "SEG_TEACHER_BATCH = 1", "STUDENT_BATCH = 1",
      "SIMCLR_BATCH = 2", "SERVING_BATCH = 1",
      "simclr/ProjectionHead.hidden_units = 32", "simclr/ProjectionHead.output_units = 16",
      "cifar100/Pipeline.image_size = 64", "cifar100/Pipeline.batch_size = 1",
      "pascal_seg/Pipeline.image_size = 64", "pascal_seg/Pipeline.batch_size = 1",
      // Two of the six columns keep the test inside CI's budget (graph building is slow, see
      // design.md section 8); the grid still builds the first cell of each task it lists.
      "FineTuneGrid.tasks = [@cifar100/DownstreamTask(), @pascal_seg/DownstreamTask()]");

  @TempDir Path modelDir;

  private record Result(int code, String out, String err) {}

  private static Result launch(String table, List<String> flags, List<String> bindings) {
    List<String> args = new ArrayList<>(List.of("--config", EXPERIMENTS.resolve(table + ".conf").toString()));
    args.addAll(flags);
    for (String b : bindings) {
      args.add("--binding");
      args.add(b);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args.toArray(String[]::new), o, e);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The stage lines of the dry-run plan: name -> the plan's words. */
  private static Map<String, String> planned(String out) {
    Map<String, String> stages = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^#   \\d+/\\d+ (\\S+): (would run.*)$").matcher(out);
    while (m.find()) stages.put(m.group(1), m.group(2));
    return stages;
  }

  @Test
  void everyTableResolvesIntoItsStagesWithTheDataGiven() {
    Map<String, List<String>> expected = Map.of(
        "table1_imagenet", List.of("pseudo_labels", "simclr", "student", "students/classification", "students/depth",
            "students/detection", "students/segmentation", "table1/finetune", "table1/results", "teachers/classification",
            "teachers/detection", "teachers/segmentation"),
        "table2_jft", List.of("jft/pseudo_labels", "jft/simclr", "jft/student", "jft/supervised", "table2/finetune",
            "table2/results", "teachers/classification", "teachers/detection", "teachers/segmentation"),
        "table3_teachers", List.of("pseudo_labels", "student", "students/classification", "students/cls_det",
            "students/cls_det_seg", "table3/finetune", "table3/results", "teachers/classification", "teachers/detection",
            "teachers/segmentation"),
        "table4_cross_dataset", List.of("pseudo_labels", "student", "students/mixed", "table4/finetune", "table4/results",
            "teachers/classification", "teachers/detection", "teachers/segmentation"),
        "table5_strong_checkpoint", List.of("pseudo_labels", "students/from_strong", "table5/finetune", "table5/results",
            "teachers/classification", "teachers/detection", "teachers/segmentation"),
        "figure1_predictions", List.of("figure1/panels", "figure1/pseudo_labels", "figure1/student",
            "teachers/classification", "teachers/detection", "teachers/normals", "teachers/segmentation"));
    for (Map.Entry<String, List<String>> table : expected.entrySet()) {
      Result r = launch(table.getKey(), List.of("--dry_run", "--model_dir", modelDir.toString()), DATA);
      assertEquals(0, r.code(), table.getKey() + ": " + r.err());
      assertEquals(table.getValue(), List.copyOf(planned(r.out()).keySet()), table.getKey() + ":\n" + r.out());
    }
    // Figure 1's student learns normals too, weighted by the paper's rule from the normals recipe.
    Result figure = launch("figure1_predictions", List.of("--dry_run"), DATA);
    assertTrue(figure.out().contains("'depth': 1.0, 'normals': 2.0}"), figure.out());
    Result jft = launch("table2_jft", List.of("--dry_run"), DATA);
    assertTrue(jft.out().contains("student/Trainer.weight_decay = 3.0e-6\n"), jft.out());
    assertTrue(jft.out().contains("PseudoLabel.input_files = ['/data/jft/jft-train-*']"), jft.out());
    Result strong = launch("table5_strong_checkpoint", List.of("--dry_run"), DATA);
    assertTrue(strong.out().contains("from_strong/PartialRestore.checkpoint = '/checkpoints/strong/checkpoints'"), strong.out());
  }

  @Test
  void aMissingDataSetStopsTheRunNamingTheMacroAndItsConverter() {
    List<String> data = DATA.stream().filter(b -> !b.startsWith("OBJECTS365_TRAIN")).toList();
    Result r = launch("table1_imagenet", List.of("--dry_run"), data);
    assertEquals(Main.CONFIG_ERROR, r.code(), r.err());
    assertTrue(r.err().contains("error: OBJECTS365_TRAIN is required but was never set ("), r.err());
    assertTrue(r.err().contains("common/datasets.conf:"), r.err());
    assertTrue(r.err().contains("tools/convert-dataset --dataset objects365 --input objects365"), r.err());
    assertTrue(r.err().contains("bind it with --binding \"OBJECTS365_TRAIN = '...'\""), r.err());
    assertTrue(r.err().contains("(needed by detection_teacher/MultiTaskTrainingTask.train_files[0])"), r.err());
    assertEquals("", r.out());
  }

  @Tag("slow")
  @Test
  void dryRunBuildsTheGraphOfEveryStageOfTable1() {
    List<String> bindings = new ArrayList<>(DATA);
    bindings.addAll(TINY);
    Result r = launch("table1_imagenet", List.of("--dry_run", "--build_graphs", "--model_dir", modelDir.toString()), bindings);
    assertEquals(0, r.code(), r.err());
    String graphs = r.out().substring(r.out().indexOf("# Graphs"));
    Map<String, Long> ops = new TreeMap<>();
    Matcher m = Pattern.compile("(?m)^#   \\d+/12 (\\S+): training graph(?: \\+ eval)?: ([\\d,]+) ops, built in [\\d.]+ s").matcher(graphs);
    while (m.find()) ops.put(m.group(1), Long.parseLong(m.group(2).replace(",", "")));
    assertEquals(List.of("simclr", "student", "students/classification", "students/depth", "students/detection",
        "students/segmentation", "teachers/classification", "teachers/detection", "teachers/segmentation"),
        List.copyOf(ops.keySet()), graphs);
    // The MuST student has every head of the single-task students; the detector is the largest head.
    assertTrue(ops.get("student") > ops.get("students/detection"), graphs);
    assertTrue(ops.get("students/detection") > ops.get("students/classification"), graphs);
    // The student reads pseudo labels that do not exist yet: their pattern stands in.
    assertTrue(graphs.matches("(?s).*/12 student: [^\n]*names stand in\\): \\S*/pseudo_labels/train-\\*\n.*"), graphs);
    assertTrue(graphs.contains("/12 pseudo_labels: not built in a dry run: it loads the teachers' SavedModels"), graphs);
    assertTrue(graphs.matches("(?s).*\n#       cifar100 \\(lr 0\\.005, 5000 steps\\), training \\+ eval: [\\d,]+ ops.*"), graphs);
    assertTrue(graphs.matches("(?s).*\n#       pascal_seg \\(lr 0\\.005, 5000 steps\\), training \\+ eval: [\\d,]+ ops.*"), graphs);
    assertTrue(graphs.contains("/12 table1/results: no TensorFlow graph to build"), graphs);
    assertTrue(graphs.contains("#   all graphs built in "), graphs);
    // A dry run writes nothing.
    assertEquals(0, modelDir.toFile().list().length);
  }
}
