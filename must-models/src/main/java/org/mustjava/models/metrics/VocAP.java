package org.mustjava.models.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.train.EvalMetric;
import org.mustjava.models.metrics.detection.GroundTruthBox;
import org.mustjava.models.metrics.detection.ScoredDetection;
import org.mustjava.models.metrics.detection.VocDetectionEvaluator;
import org.tensorflow.Tensor;

/**
 * PASCAL VOC detection AP of a detection head over the eval set ({@link VocDetectionEvaluator}):
 * by default the paper's VOC metric, AP50 with the VOC2007 11-point interpolation and the devkit's
 * inclusive-pixel IoU, on boxes in original-image pixels ({@link DetectionEvalImages}); objects
 * flagged difficult ({@code image/object/difficult}) count neither as hits nor as misses. Result
 * {@code <head>/voc_ap50} (the mean over classes with a non-difficult object).
 */
public final class VocAP implements EvalMetric {
  private final String head;
  private final VocDetectionEvaluator evaluator;
  private final String resultName;
  private final List<GroundTruthBox> groundTruth = new ArrayList<>();
  private final List<ScoredDetection> detections = new ArrayList<>();
  private long images;

  /**
   * @param head the detection head (its predictions {@code <head>/detection_*}) and result prefix
   * @param iouThreshold a detection matches with IoU strictly above this
   * @param interpolation {@code '11point'} (VOC2007) or {@code 'all_point'} (VOC2010+)
   * @param inclusivePixels the devkit's "+1" pixel convention in the IoU
   */
  @Configurable
  public VocAP(@Default("'detection'") String head, @Default("0.5") double iouThreshold,
      @Default("'11point'") String interpolation, @Default("True") boolean inclusivePixels) {
    VocDetectionEvaluator.Interpolation mode = switch (interpolation) {
      case "11point" -> VocDetectionEvaluator.Interpolation.ELEVEN_POINT;
      case "all_point" -> VocDetectionEvaluator.Interpolation.ALL_POINT;
      default -> throw new IllegalArgumentException(
          "VocAP.interpolation must be '11point' or 'all_point', got '" + interpolation + "'");
    };
    this.head = head;
    this.evaluator = new VocDetectionEvaluator(iouThreshold, mode, inclusivePixels);
    this.resultName = "voc_ap" + Math.round(iouThreshold * 100);
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
    for (DetectionEvalImages.Image image : DetectionEvalImages.read(tensors, head, images, "VocAP")) {
      groundTruth.addAll(image.groundTruth());
      detections.addAll(image.detections());
      images++;
    }
  }

  @Override
  public Map<String, Double> result() {
    Map<String, Double> r = new LinkedHashMap<>();
    r.put(resultName, evaluator.evaluate(groundTruth, detections).meanAveragePrecision());
    return r;
  }

  @Override
  public void reset() {
    groundTruth.clear();
    detections.clear();
    images = 0;
  }
}
