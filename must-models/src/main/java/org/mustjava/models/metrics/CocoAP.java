package org.mustjava.models.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.train.EvalMetric;
import org.mustjava.models.metrics.detection.CocoDetectionEvaluator;
import org.mustjava.models.metrics.detection.GroundTruthBox;
import org.mustjava.models.metrics.detection.ScoredDetection;
import org.tensorflow.Tensor;

/**
 * COCO box AP of a detection head over the eval set ({@link CocoDetectionEvaluator}, cocoeval
 * semantics) on boxes in original-image pixels ({@link DetectionEvalImages}), so the small / medium
 * / large split is by original object size. Every eval image counts (also those without objects);
 * crowd regions ({@code image/object/is_crowd}) are ignored as cocoeval ignores them. Object areas
 * are box areas (the records carry no mask area). Results {@code <head>/coco_ap}, {@code coco_ap50},
 * {@code coco_ap75}, {@code coco_aps}, {@code coco_apm}, {@code coco_apl}, {@code coco_ar1},
 * {@code coco_ar10}, {@code coco_ar100}, {@code coco_ars}, {@code coco_arm}, {@code coco_arl}; -1
 * where there is no ground truth (as cocoeval).
 */
public final class CocoAP implements EvalMetric {
  private final String head;
  private final CocoDetectionEvaluator evaluator = new CocoDetectionEvaluator();
  private final List<String> imageIds = new ArrayList<>();
  private final List<GroundTruthBox> groundTruth = new ArrayList<>();
  private final List<ScoredDetection> detections = new ArrayList<>();

  /** @param head the detection head (its predictions {@code <head>/detection_*}) and result prefix */
  @Configurable
  public CocoAP(@Default("'detection'") String head) {
    this.head = head;
  }

  @Override
  public String name() {
    return head;
  }

  @Override
  public List<String> requiredTensors() {
    return DetectionEvalImages.requiredTensors(head);
  }

  @Override
  public void update(Map<String, Tensor> tensors) {
    for (DetectionEvalImages.Image image : DetectionEvalImages.read(tensors, head, imageIds.size(), "CocoAP")) {
      imageIds.add(image.id());
      groundTruth.addAll(image.groundTruth());
      detections.addAll(image.detections());
    }
  }

  @Override
  public Map<String, Double> result() {
    TreeSet<Integer> classes = new TreeSet<>();
    groundTruth.forEach(g -> classes.add(g.classId()));
    detections.forEach(d -> classes.add(d.classId()));
    double[] stats = evaluator.evaluate(imageIds, List.copyOf(classes), groundTruth, detections).stats();
    List<String> names = CocoDetectionEvaluator.Result.names();
    Map<String, Double> r = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) r.put("coco_" + names.get(i).toLowerCase(Locale.ROOT), stats[i]);
    return r;
  }

  @Override
  public void reset() {
    imageIds.clear();
    groundTruth.clear();
    detections.clear();
  }
}
