package org.mustjava.models.metrics.detection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.mustjava.data.example.Box;

/**
 * PASCAL VOC detection average precision, following the VOC devkit's evaluation:
 *
 * <ul>
 *   <li>per class, detections are taken in decreasing score order; a detection is a true positive
 *       if its best-overlapping ground truth of that class in the image has IoU strictly greater
 *       than the threshold (0.5), is not difficult and was not already matched; a second detection
 *       of the same object is a false positive; a detection whose best match is a difficult object
 *       counts as neither;
 *   <li>recall is divided by the number of non-difficult objects;
 *   <li>AP is the VOC2007 11-point interpolation (mean over recall 0, 0.1, ..., 1 of the maximum
 *       precision at recall >= r) or the all-point area under the interpolated curve (VOC2010+).
 * </ul>
 * Classes without any non-difficult object have AP NaN and are left out of the mean.
 * {@code inclusivePixels} selects the devkit's "+1" pixel convention for IoU, right for integer
 * pixel boxes, not for normalised coordinates.
 */
public final class VocDetectionEvaluator {
  /** How the precision/recall curve is turned into AP. */
  public enum Interpolation {
    /** VOC2007: mean of the interpolated precision at recall 0, 0.1, ..., 1.0. */
    ELEVEN_POINT,
    /** VOC2010 and later: area under the monotone precision envelope. */
    ALL_POINT
  }

  private final double iouThreshold;
  private final Interpolation interpolation;
  private final boolean inclusivePixels;

  public VocDetectionEvaluator(double iouThreshold, Interpolation interpolation, boolean inclusivePixels) {
    if (!(iouThreshold >= 0 && iouThreshold < 1)) {
      throw new IllegalArgumentException("IoU threshold must be in [0, 1), got " + iouThreshold);
    }
    this.iouThreshold = iouThreshold;
    this.interpolation = interpolation;
    this.inclusivePixels = inclusivePixels;
  }

  /** The paper's PASCAL metric: AP50 with the VOC2007 11-point interpolation, devkit IoU on pixel boxes. */
  public static VocDetectionEvaluator voc2007() {
    return new VocDetectionEvaluator(0.5, Interpolation.ELEVEN_POINT, true);
  }

  /** Per-class AP and their mean over classes that have objects. */
  public record Result(SortedMap<Integer, Double> averagePrecision, double meanAveragePrecision) {}

  public Result evaluate(Collection<GroundTruthBox> groundTruth, Collection<ScoredDetection> detections) {
    TreeSet<Integer> classes = new TreeSet<>();
    groundTruth.forEach(g -> classes.add(g.classId()));
    detections.forEach(d -> classes.add(d.classId()));
    SortedMap<Integer, Double> ap = new TreeMap<>();
    double sum = 0;
    int counted = 0;
    for (int c : classes) {
      double v = averagePrecision(c, groundTruth, detections);
      ap.put(c, v);
      if (!Double.isNaN(v)) {
        sum += v;
        counted++;
      }
    }
    return new Result(ap, counted == 0 ? Double.NaN : sum / counted);
  }

  /** AP of one class; NaN if the class has no non-difficult object. */
  public double averagePrecision(int classId, Collection<GroundTruthBox> groundTruth,
      Collection<ScoredDetection> detections) {
    Map<String, List<GroundTruthBox>> byImage = new HashMap<>();
    int positives = 0;
    for (GroundTruthBox g : groundTruth) {
      if (g.classId() != classId) continue;
      byImage.computeIfAbsent(g.imageId(), k -> new ArrayList<>()).add(g);
      if (!g.difficult()) positives++;
    }
    Map<String, boolean[]> matched = new HashMap<>();
    byImage.forEach((k, v) -> matched.put(k, new boolean[v.size()]));
    List<ScoredDetection> dets = new ArrayList<>();
    for (ScoredDetection d : detections) if (d.classId() == classId) dets.add(d);
    dets.sort(Comparator.comparingDouble(ScoredDetection::score).reversed());

    int n = dets.size();
    double[] tp = new double[n];
    double[] fp = new double[n];
    for (int i = 0; i < n; i++) {
      ScoredDetection d = dets.get(i);
      List<GroundTruthBox> gts = byImage.getOrDefault(d.imageId(), List.of());
      double best = Double.NEGATIVE_INFINITY;
      int bestIndex = -1;
      for (int j = 0; j < gts.size(); j++) {
        Box b = gts.get(j).box();
        double iou = inclusivePixels ? d.box().iouInclusivePixels(b) : d.box().iou(b);
        if (iou > best) { // first maximum, like numpy's argmax
          best = iou;
          bestIndex = j;
        }
      }
      if (bestIndex >= 0 && best > iouThreshold) {
        if (!gts.get(bestIndex).difficult()) {
          boolean[] used = matched.get(d.imageId());
          if (!used[bestIndex]) {
            tp[i] = 1;
            used[bestIndex] = true;
          } else {
            fp[i] = 1;
          }
        }
      } else {
        fp[i] = 1;
      }
    }
    if (positives == 0) return Double.NaN;
    double[] recall = new double[n];
    double[] precision = new double[n];
    double tpSum = 0;
    double fpSum = 0;
    for (int i = 0; i < n; i++) {
      tpSum += tp[i];
      fpSum += fp[i];
      recall[i] = tpSum / positives;
      precision[i] = tpSum / Math.max(tpSum + fpSum, Math.ulp(1.0));
    }
    return interpolation == Interpolation.ELEVEN_POINT ? elevenPoint(recall, precision) : allPoint(recall, precision);
  }

  static double elevenPoint(double[] recall, double[] precision) {
    double ap = 0;
    for (int k = 0; k <= 10; k++) {
      double t = k * 0.1; // the devkit's thresholds, including their rounding (0.30000000000000004)
      double p = 0;
      for (int i = 0; i < recall.length; i++) if (recall[i] >= t) p = Math.max(p, precision[i]);
      ap += p / 11;
    }
    return ap;
  }

  static double allPoint(double[] recall, double[] precision) {
    int n = recall.length;
    double[] mrec = new double[n + 2];
    double[] mpre = new double[n + 2];
    mrec[n + 1] = 1;
    for (int i = 0; i < n; i++) {
      mrec[i + 1] = recall[i];
      mpre[i + 1] = precision[i];
    }
    for (int i = n; i >= 0; i--) mpre[i] = Math.max(mpre[i], mpre[i + 1]);
    double ap = 0;
    for (int i = 0; i <= n; i++) {
      if (mrec[i + 1] != mrec[i]) ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
    }
    return ap;
  }
}
