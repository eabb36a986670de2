package org.mustjava.models.metrics.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.data.example.Box;

class CocoDetectionEvaluatorTest {
  private final CocoDetectionEvaluator eval = new CocoDetectionEvaluator();

  @Test
  void perfectDetectionScoresOne() {
    var r = eval.evaluate(List.of(GroundTruthBox.of("1", 1, new Box(0, 0, 50, 50))),
        List.of(new ScoredDetection("1", 1, 0.9, new Box(0, 0, 50, 50))));
    assertEquals(1, r.ap(), 1e-12);
    assertEquals(1, r.ap50(), 1e-12);
    assertEquals(1, r.ap75(), 1e-12);
    assertEquals(-1, r.apSmall(), 0, "no small objects");
    assertEquals(1, r.apMedium(), 1e-12);
  }

  /**
   * One object, a detection with IoU 0.72 and a lower-scored clutter box.
   * Thresholds 0.5..0.7 (5 of 10): the hit comes first, precision 1 at every recall point; 0.75..0.95:
   * no hit, precision 0. So AP = 0.5, AP50 = 1, AP75 = 0.
   */
  @Test
  void averagesOverIouThresholds() {
    var r = eval.evaluate(List.of(GroundTruthBox.of("1", 1, new Box(0, 0, 100, 100))),
        List.of(new ScoredDetection("1", 1, 0.9, new Box(0, 0, 100, 72)),
            new ScoredDetection("1", 1, 0.8, new Box(300, 300, 340, 340))));
    assertEquals(0.5, r.ap(), 1e-12);
    assertEquals(1, r.ap50(), 1e-12);
    assertEquals(0, r.ap75(), 1e-12);
    assertEquals(0.5, r.ar100(), 1e-12);
  }

  /** Detections inside a crowd region are ignored (crowd IoU = intersection / detection area). */
  @Test
  void crowdRegionsAbsorbDetections() {
    List<GroundTruthBox> gt = List.of(
        new GroundTruthBox("1", 1, new Box(0, 0, 100, 100), false, true, Double.NaN),
        GroundTruthBox.of("1", 1, new Box(200, 200, 250, 250)));
    List<ScoredDetection> dets = List.of(
        new ScoredDetection("1", 1, 0.95, new Box(10, 10, 30, 30)),
        new ScoredDetection("1", 1, 0.94, new Box(40, 40, 60, 70)),
        new ScoredDetection("1", 1, 0.93, new Box(0, 0, 20, 90)),
        new ScoredDetection("1", 1, 0.5, new Box(200, 200, 250, 250)));
    assertEquals(1, eval.evaluate(gt, dets).ap(), 1e-12);
    List<GroundTruthBox> notCrowd = List.of(GroundTruthBox.of("1", 1, new Box(0, 0, 100, 100)), gt.get(1));
    assertTrue(eval.evaluate(notCrowd, dets).ap() < 0.6, "the same boxes without iscrowd are false positives");
  }

  /** Only the 100 best-scored detections per image and class count. */
  @Test
  void maxDetsCutsLowScoredDetections() {
    List<ScoredDetection> dets = new ArrayList<>();
    for (int i = 0; i < 100; i++) dets.add(new ScoredDetection("1", 1, 0.9 - i * 1e-3, new Box(500 + i, 500, 510 + i, 510)));
    dets.add(new ScoredDetection("1", 1, 0.1, new Box(0, 0, 50, 50)));
    var r = eval.evaluate(List.of(GroundTruthBox.of("1", 1, new Box(0, 0, 50, 50))), dets);
    assertEquals(0, r.ar100(), 0);
    assertEquals(0, r.ap(), 0);
    dets.remove(0);
    assertTrue(eval.evaluate(List.of(GroundTruthBox.of("1", 1, new Box(0, 0, 50, 50))), dets).ar100() == 1);
  }

  /**
   * Fixture: 12 images (2 without objects), 4 categories (one without objects), random boxes of all
   * three area ranges, crowd annotations, annotation areas differing from box areas, wrong-class and
   * jittered detections, and 100+ detections of one class in one image. Expected numbers were
   * computed once with pycocotools 2.0.11: {@code COCOeval(gt, gt.loadRes(detections), 'bbox')},
   * {@code evaluate(); accumulate(); summarize()}, {@code stats} (see the fixture's {@code source}).
   */
  @Test
  void matchesPycocotoolsOnFixture() throws Exception {
    JsonObject fx;
    try (var in = getClass().getResourceAsStream("/detection/coco_fixture.json")) {
      fx = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
    }
    List<String> images = new ArrayList<>();
    fx.getAsJsonArray("images").forEach(e -> images.add(e.getAsJsonObject().get("id").getAsString()));
    List<Integer> categories = new ArrayList<>();
    fx.getAsJsonArray("categories").forEach(e -> categories.add(e.getAsJsonObject().get("id").getAsInt()));
    List<GroundTruthBox> gt = new ArrayList<>();
    for (var e : fx.getAsJsonArray("annotations")) {
      JsonObject o = e.getAsJsonObject();
      gt.add(new GroundTruthBox(o.get("image_id").getAsString(), o.get("category_id").getAsInt(),
          xywh(o.getAsJsonArray("bbox")), false, o.get("iscrowd").getAsInt() == 1, o.get("area").getAsDouble()));
    }
    List<ScoredDetection> dets = new ArrayList<>();
    for (var e : fx.getAsJsonArray("detections")) {
      JsonObject o = e.getAsJsonObject();
      dets.add(new ScoredDetection(o.get("image_id").getAsString(), o.get("category_id").getAsInt(),
          o.get("score").getAsDouble(), xywh(o.getAsJsonArray("bbox"))));
    }
    assertTrue(gt.stream().anyMatch(GroundTruthBox::crowd), "fixture has crowd annotations");
    var result = eval.evaluate(images, categories, gt, dets);
    JsonArray expected = fx.getAsJsonArray("expected_stats");
    for (int i = 0; i < 12; i++) {
      assertEquals(expected.get(i).getAsDouble(), result.stats()[i], 1e-9, CocoDetectionEvaluator.Result.names().get(i));
    }
  }

  private static Box xywh(JsonArray b) {
    return Box.fromXywh(b.get(0).getAsDouble(), b.get(1).getAsDouble(), b.get(2).getAsDouble(), b.get(3).getAsDouble());
  }
}
