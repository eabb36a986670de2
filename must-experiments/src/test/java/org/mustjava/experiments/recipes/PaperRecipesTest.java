package org.mustjava.experiments.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mustjava.experiments.Main;

/**
 * The paper-scale recipe configs of {@code experiments/common/} (teachers, student, "MuST +
 * supervised labels") resolve and construct every object through the launcher's {@code --dry_run}
 * (no graph is built), with the recipe values of design.md, the loss weights computed from the
 * teacher recipes, and one source for each recipe value.
 */
class PaperRecipesTest {
  private static final Path COMMON = Path.of("..", "experiments", "common");
  /** The required data-set macros, bound as a user would. */
  private static final List<String> DATA = List.of(
      "IMAGENET_TRAIN = '/data/imagenet/train-*'", "IMAGENET_VAL = '/data/imagenet/val-*'",
      "OBJECTS365_TRAIN = '/data/objects365/train-*'", "COCO_TRAIN = '/data/coco/train-*'",
      "COCO_VAL = '/data/coco/val-*'", "DEPTH_TRAIN = '/data/nyu/train-*'", "STUDENT_STEPS = 100000");

  private record Result(int code, String out, String err) {}

  private static Result dryRun(List<String> configs, String... bindings) {
    List<String> args = new ArrayList<>();
    for (String c : configs) {
      args.add("--config");
      args.add(COMMON.resolve(c).toString());
    }
    args.add("--dry_run");
    args.add("--verbose"); // every unused binding by name, included files' too
    for (String b : DATA) {
      args.add("--binding");
      args.add(b);
    }
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
    Result r = new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertEquals(0, r.code(), configs + ": " + r.err());
    return r;
  }

  /** The lines of the operative config's block for {@code name}, without its header. */
  private static String block(String operative, String name) {
    Matcher m = Pattern.compile("# Parameters for " + Pattern.quote(name) + ":\n# =+\n((?:[^\n]+\n)+)")
        .matcher(operative);
    assertTrue(m.find(), "no block for " + name + " in\n" + operative);
    return m.group(1);
  }

  private static void has(String text, String... lines) {
    for (String line : lines) {
      assertTrue(text.contains(line + "\n"), "missing '" + line + "' in\n" + text);
    }
  }

  @Test
  void teachersFollowTheRecipeTable() {
    String cls = dryRun(List.of("teacher_classification.conf")).out();
    has(cls, "classification_teacher/Pipeline.batch_size = 2048", "classification_teacher/Pipeline.image_size = 224",
        "classification_teacher/CosineDecay.rate = 0.8", "classification_teacher/Trainer.weight_decay = 4.0e-5",
        "classification_teacher/Trainer.steps = 250228", "classification_teacher/ClassificationLoss.label_smoothing = 0.1",
        "classification_teacher/ClassificationHead.label_type = 'hard'", "classification_teacher/ResNet.depth = 152",
        "classification_teacher/MultiTaskTrainingTask.train_files = ['/data/imagenet/train-*']");
    String det = dryRun(List.of("teacher_detection.conf")).out();
    has(det, "detection_teacher/Pipeline.batch_size = 256", "detection_teacher/Pipeline.image_size = 640",
        "detection_teacher/Pipeline.scale_jitter = [0.5, 2.0]", "detection_teacher/CosineDecay.rate = 0.32",
        "detection_teacher/Trainer.steps = 332831", "detection_teacher/DetectionHead.num_classes = 365",
        "detection_teacher/Pipeline.tasks = ['detection']", "detection_teacher/Trainer.export_final = True");
    String seg = dryRun(List.of("teacher_segmentation.conf")).out();
    has(seg, "segmentation_teacher/Pipeline.batch_size = 256", "segmentation_teacher/Pipeline.image_size = 896",
        "segmentation_teacher/CosineDecay.rate = 0.32", "segmentation_teacher/Trainer.steps = 177430",
        "segmentation_teacher/SegmentationHead.num_classes = 133", "segmentation_teacher/MeanIoU.num_classes = 133");
    String depth = dryRun(List.of("teacher_depth.conf")).out();
    has(depth, "depth_teacher/DepthHead.prediction_space = 'inverse_depth'",
        "depth_teacher/Pipeline.depth_format = 'png16'", "depth_teacher/Pipeline.tasks = ['depth']");
  }

  @Test
  void studentShowsTheLossWeightsComputedFromTheTeacherRecipes() {
    String student = dryRun(List.of("must_student.conf")).out();
    has(student, "student/Pipeline.batch_size = 256", "student/Pipeline.image_size = 640",
        "student/Pipeline.soft_labels = True", "student/ResNet.depth = 152", "student/FPN.max_level = 7",
        "student/ClassificationLoss.label_smoothing = 0.0", "student/Trainer.weight_decay = 4.0e-5");
    // w_cls = 256 * 0.8 / (2048 * 0.32); detection and segmentation teachers share the student's
    // batch and rate; depth has its own weight.
    assertTrue(block(student, "student/MustLossWeights").startsWith(
        "# Returns: {'classification': 0.3125, 'detection': 1.0, 'segmentation': 1.0, 'depth': 1.0}\n"),
        block(student, "student/MustLossWeights"));
  }

  @Test
  void aTeacherRecipeValueIsReadByTheTeacherAndTheStudentWeight() {
    String out = dryRun(List.of("teacher_classification.conf", "must_student.conf"),
        "Stages.stages = [%CLASSIFICATION_TEACHER, %STUDENT]", "CLS_TEACHER_BATCH = 1024").out();
    has(out, "classification_teacher/Pipeline.batch_size = 1024");
    // 256 * 0.8 / (1024 * 0.32)
    assertTrue(block(out, "student/MustLossWeights").startsWith("# Returns: {'classification': 0.625,"),
        block(out, "student/MustLossWeights"));
  }

  @Test
  void allStagesComposeInOneRunAndSupervisedLabelsMixIn() {
    Result all = dryRun(List.of("teacher_classification.conf", "teacher_detection.conf",
            "teacher_segmentation.conf", "teacher_depth.conf", "must_student_supervised.conf"),
        "Stages.stages = [%CLASSIFICATION_TEACHER, %DETECTION_TEACHER, %SEGMENTATION_TEACHER, %DEPTH_TEACHER,"
            + " %STUDENT]");
    has(all.out(), "classification_teacher/TrainStage.name = 'teachers/classification'",
        "detection_teacher/TrainStage.name = 'teachers/detection'", "student/TrainStage.name = 'student'",
        "student/Pipeline.mixed_in = [@imagenet/DataSource(), @objects365/DataSource(), @coco/DataSource()]");
    // No binding is dead (the mixed-in DataSource ones included), except the network file's
    // bindings for tools/model-summary.
    for (String line : all.err().lines().toList()) {
      if (line.contains("was never used")) {
        assertTrue(line.contains("binding ModelSummary."), all.err());
      }
    }
    assertTrue(all.err().contains("ModelSummary.model was never used"), "the check sees the warnings");
  }
}
