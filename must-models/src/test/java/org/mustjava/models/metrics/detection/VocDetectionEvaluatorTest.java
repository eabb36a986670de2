package org.mustjava.models.metrics.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.data.example.Box;
import org.mustjava.models.metrics.detection.VocDetectionEvaluator.Interpolation;

class VocDetectionEvaluatorTest {

  /**
   * Class 1 in one image: objects A, B and a difficult C. Detections by score: A (hit), A again
   * (duplicate: false positive), C (difficult: ignored), B (hit), nothing (false positive). Precision
   * / recall after each counted detection: (1, .5), (.5, .5), (2/3, 1), (.5, 1).
   * 11-point: recall 0..0.5 -> 1 (6 points), 0.6..1 -> 2/3 (5 points): (6 + 10/3) / 11.
   * All-point: 0.5 * 1 + 0.5 * 2/3.
   */
  @Test
  void handComputedDuplicatesAndDifficult() {
    Box a = new Box(0, 0, 10, 10);
    Box b = new Box(20, 20, 30, 30);
    Box c = new Box(50, 50, 60, 60);
    List<GroundTruthBox> gt = List.of(
        GroundTruthBox.of("i", 1, a), GroundTruthBox.of("i", 1, b), new GroundTruthBox("i", 1, c, true, false, Double.NaN));
    List<ScoredDetection> dets = List.of(
        new ScoredDetection("i", 1, 0.9, a), new ScoredDetection("i", 1, 0.8, new Box(0, 0, 10, 9)),
        new ScoredDetection("i", 1, 0.7, c), new ScoredDetection("i", 1, 0.6, b),
        new ScoredDetection("i", 1, 0.5, new Box(80, 80, 90, 90)));
    var eleven = new VocDetectionEvaluator(0.5, Interpolation.ELEVEN_POINT, false).evaluate(gt, dets);
    assertEquals((6 + 10.0 / 3) / 11, eleven.averagePrecision().get(1), 1e-12);
    assertEquals((6 + 10.0 / 3) / 11, eleven.meanAveragePrecision(), 1e-12);
    var all = new VocDetectionEvaluator(0.5, Interpolation.ALL_POINT, false).evaluate(gt, dets);
    assertEquals(0.5 + 0.5 * 2 / 3.0, all.averagePrecision().get(1), 1e-12);
  }

  @Test
  void iouMustExceedThresholdAndClassesWithoutObjectsAreLeftOut() {
    // IoU exactly 0.5 is a miss (the devkit's strict '>').
    List<GroundTruthBox> gt = List.of(GroundTruthBox.of("i", 1, new Box(0, 0, 10, 10)));
    var half = new VocDetectionEvaluator(0.5, Interpolation.ALL_POINT, false)
        .evaluate(gt, List.of(new ScoredDetection("i", 1, 1, new Box(0, 0, 10, 5)),
            new ScoredDetection("j", 2, 1, new Box(0, 0, 10, 5))));
    assertEquals(0.0, half.averagePrecision().get(1), 0);
    assertTrue(Double.isNaN(half.averagePrecision().get(2)), "class 2 has no objects");
    assertEquals(0.0, half.meanAveragePrecision(), 0);
  }

  /**
   * Fixture: 10 images, 3 classes, random boxes with difficult objects, duplicates, misses, wrong
   * classes and clutter. Expected APs were computed once with the reference Python port of the VOC
   * devkit, py-faster-rcnn's {@code lib/datasets/voc_eval.py} (commit 781a917b, ovthresh 0.5,
   * {@code use_07_metric} True and False), fed the same boxes as VOC XML annotations and per-class
   * detection files; see the fixture's {@code source} field. Integer pixel boxes: inclusive-pixel IoU.
   */
  @Test
  void matchesReferenceImplementationOnFixture() throws Exception {
    JsonObject fx;
    try (var in = getClass().getResourceAsStream("/detection/voc_fixture.json")) {
      fx = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
    List<String> classes = new ArrayList<>();
    fx.getAsJsonArray("classes").forEach(e -> classes.add(e.getAsString()));
    List<GroundTruthBox> gt = new ArrayList<>();
    for (var e : fx.getAsJsonArray("ground_truth")) {
      JsonObject o = e.getAsJsonObject();
      gt.add(new GroundTruthBox(o.get("image").getAsString(), classes.indexOf(o.get("class").getAsString()) + 1,
          box(o), o.get("difficult").getAsInt() == 1, false, Double.NaN));
    }
    List<ScoredDetection> dets = new ArrayList<>();
    for (var e : fx.getAsJsonArray("detections")) {
      JsonObject o = e.getAsJsonObject();
      dets.add(new ScoredDetection(o.get("image").getAsString(), classes.indexOf(o.get("class").getAsString()) + 1,
          o.get("score").getAsDouble(), box(o)));
    }
    assertTrue(gt.stream().anyMatch(GroundTruthBox::difficult), "fixture has difficult objects");
    var eleven = VocDetectionEvaluator.voc2007().evaluate(gt, dets);
    var all = new VocDetectionEvaluator(0.5, Interpolation.ALL_POINT, true).evaluate(gt, dets);
    JsonObject expected = fx.getAsJsonObject("expected_ap");
    for (int c = 0; c < classes.size(); c++) {
      JsonObject e = expected.getAsJsonObject(classes.get(c));
      assertEquals(e.get("11point").getAsDouble(), eleven.averagePrecision().get(c + 1), 1e-9, classes.get(c));
      assertEquals(e.get("allpoint").getAsDouble(), all.averagePrecision().get(c + 1), 1e-9, classes.get(c));
    }
  }

  private static Box box(JsonObject o) {
    return new Box(o.get("ymin").getAsDouble(), o.get("xmin").getAsDouble(), o.get("ymax").getAsDouble(),
        o.get("xmax").getAsDouble());
  }
}
