package org.mustjava.experiments.pseudolabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.DepthType;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/**
 * Pseudo-label round trips per task: a teacher whose output is a known function of its input ->
 * the stage -> records -> decoded labels equal the thresholded teacher output in the original
 * image's coordinates.
 */
class PseudoLabelStageTest {
  static final int S = 32;
  static final int[] RED = {255, 0, 0};
  static final int[] GREY = {128, 128, 128};
  static final int[] BLUE = {0, 0, 255};
  @TempDir Path dir;

  @Test
  void classificationKeepsTheFullSoftDistributionWithTemperature() throws Exception {
    float[][] w = {{1f, 0f, -1f, 0.5f}, {0f, 2f, 0f, 0.5f}, {0.5f, 0f, 1f, -2f}};
    TestTeachers.classification(dir.resolve("cls"), S, w);
    int[][] colours = {RED, GREY, BLUE};
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"), List.of(
        Fixtures.record(Fixtures.stripes(S, S, RED), S, S, "a"),
        Fixtures.record(Fixtures.stripes(S, S, GREY), S, S, "b"),
        Fixtures.record(Fixtures.stripes(S, S, BLUE), S, S, "c")));
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        PseudoLabel.batch_size = 2
        SavedModelTeacher.task = 'classification'
        SavedModelTeacher.directory = 'cls'
        SavedModelTeacher.temperature = 2.0
        """);
    String log = Fixtures.run(stage, dir);
    assertTrue(log.contains("images/s, ETA"), log);
    List<MultiTaskExample> out = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001"));
    assertEquals(3, out.size());
    int[] argmax = new int[3];
    for (int i = 0; i < 3; i++) {
      MultiTaskExample e = out.get(i);
      assertTrue(e.classLabel().isEmpty(), "the input's ground-truth label is not copied");
      float[] n = new float[3];
      for (int c = 0; c < 3; c++) n[c] = Fixtures.normalised(colours[i][c], c);
      double[] logits = new double[4];
      for (int k = 0; k < 4; k++) for (int c = 0; c < 3; c++) logits[k] += n[c] * w[c][k];
      double z = 0;
      for (int k = 0; k < 4; k++) z += Math.exp(logits[k] / 2.0);
      float[] p = e.classProbabilities().orElseThrow();
      assertEquals(4, p.length);
      for (int k = 0; k < 4; k++) {
        assertEquals(Math.exp(logits[k] / 2.0) / z, p[k], 1e-5, "image " + i + " class " + k);
        if (p[k] > p[argmax[i]]) argmax[i] = k;
      }
    }
    JsonObject stats = JsonParser.parseString(Files.readString(dir.resolve("pseudo_labels/label_stats.json")))
        .getAsJsonObject().getAsJsonObject("classification");
    assertEquals(3, stats.get("images").getAsLong());
    long histogramTotal = stats.getAsJsonObject("classHistogram").entrySet().stream()
        .mapToLong(en -> en.getValue().getAsLong()).sum();
    assertEquals(3, histogramTotal);
    assertEquals(1, stats.getAsJsonObject("classHistogram").get(Integer.toString(argmax[0])).getAsLong() >= 1 ? 1 : 0);
  }

  @Test
  void detectionBoxesAreThresholdedSuppressedAndInOriginalCoordinates() throws Exception {
    // Teacher boxes, (ymin, xmin, ymax, xmax) normalised to its 32 x 32 input.
    float[][] boxes = {
        {0.25f, 0.5f, 0.5f, 1.0f},   // A 0.9 class 2
        {0.25f, 0.5f, 0.5f, 0.98f},  // B 0.8 class 2: overlaps A -> suppressed
        {0.25f, 0.5f, 0.5f, 0.98f},  // C 0.7 class 3: same box, other class -> kept
        {0.1f, 0.1f, 0.2f, 0.2f},    // D 0.4: below the threshold
        {0.6f, 0.0f, 0.9f, 0.5f},    // E 0.95: wholly in the padding -> empty, dropped
        {0.0f, 0.0f, 0.25f, 0.25f}}; // F 0.5 class 0: exactly at the threshold -> kept
    float[] scores = {0.9f, 0.8f, 0.7f, 0.4f, 0.95f, 0.5f};
    float[] classes = {2, 2, 3, 1, 1, 0};
    TestTeachers.detection(dir.resolve("det"), S, boxes, scores, classes);
    // A 32 x 64 image: scale 0.5, the image fills the top 16 x 32 of the input.
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(32, 64, RED, BLUE), 32, 64, "wide")));
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@det/SavedModelTeacher()]
        det/SavedModelTeacher.task = 'detection'
        det/SavedModelTeacher.directory = 'det'
        det/SavedModelTeacher.outputs = {'boxes': 'detection_boxes', 'scores': 'detection_scores',
                                         'classes': 'detection_classes', 'count': 'num_detections'}
        det/SavedModelTeacher.class_offset = 1
        """);
    Fixtures.run(stage, dir);
    ObjectBoxes got = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001")).get(0).boxes().orElseThrow();
    assertEquals(3, got.size(), "A, C and F survive");
    assertArrayEquals(new float[] {0.5f, 0.5f, 1.0f, 1.0f}, got.box(0).toYxyx(), 1e-6f);
    assertArrayEquals(new float[] {0.5f, 0.5f, 1.0f, 0.98f}, got.box(1).toYxyx(), 1e-6f);
    assertArrayEquals(new float[] {0.0f, 0.0f, 0.5f, 0.25f}, got.box(2).toYxyx(), 1e-6f);
    assertArrayEquals(new int[] {3, 4, 1}, got.classes(), "classes + class_offset");
    assertArrayEquals(new float[] {0.9f, 0.7f, 0.5f}, got.scores());
    JsonObject stats = JsonParser.parseString(Files.readString(dir.resolve("pseudo_labels/label_stats.json")))
        .getAsJsonObject().getAsJsonObject("detection");
    assertEquals(3.0, stats.get("boxesPerImage").getAsDouble());
  }

  @Test
  void aTeacherWithAFixedBatchSizeRunsInPaddedChunks() throws Exception {
    TestTeachers.detection(dir.resolve("det"), 2, S, new float[][] {{0.1f, 0.2f, 0.3f, 0.4f}}, new float[] {0.9f},
        new float[] {5});
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"), List.of(
        Fixtures.record(Fixtures.stripes(S, S, RED), S, S, "a"), Fixtures.record(Fixtures.stripes(S, S, GREY), S, S, "b"),
        Fixtures.record(Fixtures.stripes(S, S, BLUE), S, S, "c")));
    String config = """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'detection'
        SavedModelTeacher.directory = 'det'
        SavedModelTeacher.outputs = {'boxes': 'detection_boxes', 'scores': 'detection_scores', 'classes': 'detection_classes'}
        """;
    // Batches of 3 run as chunks of 2, the last one (one image) padded to 2, the padding's output dropped.
    Fixtures.run(Fixtures.create(PseudoLabelStage.class, config + "PseudoLabel.batch_size = 3\n"), dir);
    List<MultiTaskExample> out = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001"));
    assertEquals(List.of("a", "b", "c"), out.stream().map(MultiTaskExample::sourceId).toList());
    for (MultiTaskExample x : out) {
      assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, x.boxes().orElseThrow().box(0).toYxyx(), 1e-6f);
      assertArrayEquals(new int[] {5}, x.boxes().orElseThrow().classes());
    }
  }

  @Test
  void segmentationIsTheArgmaxAtOriginalResolutionWithLowConfidenceIgnored() throws Exception {
    TestTeachers.segmentation(dir.resolve("seg"), S, 1f);
    // 24 x 48: scale 2/3, the image fills the top 16 x 32 of the input. Red -> class 0 (confident),
    // grey -> channels nearly equal (top probability ~0.38 < 0.5) -> 255, blue -> class 2.
    int h = 24;
    int w = 48;
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(h, w, RED, GREY, BLUE), h, w, "striped")));
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'segmentation'
        SavedModelTeacher.directory = 'seg'
        SavedModelTeacher.outputs = {'logits': 'seg_logits'}
        """);
    Fixtures.run(stage, dir);
    MultiTaskExample e = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001")).get(0);
    byte[] label = e.segmentation().orElseThrow();
    assertEquals(h * w, label.length);
    int[] stripeLabel = {expectedClass(RED), expectedClass(GREY), expectedClass(BLUE)};
    assertEquals(0, stripeLabel[0]);
    assertEquals(255, stripeLabel[1]);
    assertEquals(2, stripeLabel[2]);
    int checked = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int v = label[y * w + x] & 0xff;
        int stripe = x * 3 / w;
        int edge = Math.abs(x - 16) <= 2 ? 0 : Math.abs(x - 32) <= 2 ? 1 : -1;
        if (edge >= 0) {
          // Interpolated between two stripes: the label of either, or ignore.
          assertTrue(v == stripeLabel[edge] || v == stripeLabel[edge + 1] || v == 255, "pixel " + y + "," + x + " = " + v);
        } else {
          assertEquals(stripeLabel[stripe], v, "pixel " + y + "," + x);
          checked++;
        }
      }
    }
    assertTrue(checked > h * w / 2);
    JsonObject stats = JsonParser.parseString(Files.readString(dir.resolve("pseudo_labels/label_stats.json")))
        .getAsJsonObject().getAsJsonObject("segmentation");
    double ignored = stats.get("ignoredFraction").getAsDouble();
    assertTrue(ignored > 0.25 && ignored < 0.45, "ignored fraction " + ignored);
  }

  /** What the seg teacher (logits = normalised colour) gives a uniform region: argmax, or 255 if p < 0.5. */
  private static int expectedClass(int[] rgb) {
    double[] e = new double[3];
    double z = 0;
    for (int c = 0; c < 3; c++) {
      e[c] = Math.exp(Fixtures.normalised(rgb[c], c));
      z += e[c];
    }
    int best = 0;
    for (int c = 1; c < 3; c++) if (e[c] > e[best]) best = c;
    return e[best] / z >= 0.5 ? best : 255;
  }

  @Test
  void inverseDepthIsStoredAtOriginalResolutionAndTyped() throws Exception {
    TestTeachers.inverseDepth(dir.resolve("midas"), S);
    int h = 40;
    int w = 20; // tall: the image fills the left 16 x 32 (w x h) of the input
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(h, w, RED, BLUE), h, w, "tall")));
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'depth'
        SavedModelTeacher.directory = 'midas'
        SavedModelTeacher.outputs = {'inverse_depth': 'disparity'}
        """);
    Fixtures.run(stage, dir);
    MultiTaskExample e = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001")).get(0);
    DepthMap d = e.depth().orElseThrow();
    assertEquals(DepthType.INVERSE_RELATIVE, d.type());
    float[] v = d.toFloats(h, w);
    float left = (float) Math.exp(Fixtures.normalised(255, 0));
    float right = (float) Math.exp(Fixtures.normalised(0, 0));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (Math.abs(x - 10) <= 2) continue;
        assertEquals(x < 10 ? left : right, v[y * w + x], 1e-4 * left, "pixel " + y + "," + x);
      }
    }
  }

  @Test
  void teacherAndConfigMismatchesAreClearErrors() throws Exception {
    TestTeachers.segmentation(dir.resolve("seg"), S, 1f);
    TestTeachers.detection(dir.resolve("det"), S, new float[][] {{0, 0, 1, 1}}, new float[] {1f}, new float[] {1f});
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"), List.of(Fixtures.record(Fixtures.stripes(8, 8, RED), 8, 8, "x")));
    String base = "PseudoLabel.input_files = ['in/images-*']\nPseudoLabel.teachers = [@SavedModelTeacher()]\n";
    // Missing signature.
    String m = error(base + "SavedModelTeacher.task = 'segmentation'\nSavedModelTeacher.directory = 'seg'\n"
        + "SavedModelTeacher.signature = 'segmentation'\nSavedModelTeacher.outputs = {'logits': 'seg_logits'}");
    assertTrue(m.contains("teacher 'seg' (segmentation)") && m.contains("no signature 'segmentation'")
        && m.contains("serving_default"), m);
    // Wrong output name (the default 'logits' is not in this model).
    m = error(base + "SavedModelTeacher.task = 'segmentation'\nSavedModelTeacher.directory = 'seg'");
    assertTrue(m.contains("teacher 'seg' (segmentation)") && m.contains("no output 'logits'") && m.contains("seg_logits"), m);
    // Wrong rank: a per-pixel map configured as class logits.
    m = error(base + "SavedModelTeacher.task = 'classification'\nSavedModelTeacher.directory = 'seg'\n"
        + "SavedModelTeacher.outputs = {'logits': 'seg_logits'}");
    assertTrue(m.contains("teacher 'seg' (classification)") && m.contains("'seg_logits'") && m.contains("rank 4")
        && m.contains("[batch, classes]"), m);
    // Wrong type: detection count (int32) named as scores (float32).
    m = error(base + "SavedModelTeacher.task = 'detection'\nSavedModelTeacher.directory = 'det'\n"
        + "SavedModelTeacher.outputs = {'boxes': 'detection_boxes', 'scores': 'num_detections', 'classes': 'detection_classes'}");
    assertTrue(m.contains("teacher 'det' (detection)") && m.contains("'num_detections'") && m.contains("DT_INT32"), m);
    // Not a SavedModel.
    m = error(base + "SavedModelTeacher.task = 'depth'\nSavedModelTeacher.directory = 'in'");
    assertTrue(m.contains("teacher 'in' (depth)") && m.contains("no saved_model.pb"), m);
    // Config-level mistakes fail when the config is built.
    assertThrows(RuntimeException.class, () -> Fixtures.create(PseudoLabelStage.class, base
        + "SavedModelTeacher.task = 'depth'\nSavedModelTeacher.directory = 'x'\nSavedModelTeacher.outputs = {'logits': 'y'}"));
    assertThrows(RuntimeException.class, () -> Fixtures.create(PseudoLabelStage.class, base
        + "SavedModelTeacher.task = 'classification'\nSavedModelTeacher.directory = 'x'\nSavedModelTeacher.box_format = 'xywh'"));
    assertFalse(Files.exists(dir.resolve("pseudo_labels/train-00000-of-00001")));
  }

  private String error(String config) {
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, config);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Fixtures.run(stage, dir));
    return e.getMessage();
  }
}
