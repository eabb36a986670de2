package org.mustjava.models.metrics.detection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mustjava.data.example.Box;

/**
 * COCO box AP, following the semantics of the COCO evaluation API (cocoeval):
 *
 * <ul>
 *   <li>IoU thresholds 0.50:0.05:0.95, 101 recall points, area ranges all / small (< 32^2) /
 *       medium / large (> 96^2), at most 1, 10, 100 detections per image and class (the best
 *       scored);
 *   <li>per image and class, detections in decreasing score order are matched greedily to the
 *       unmatched ground truth with the highest IoU >= threshold, preferring non-ignored ground
 *       truth; crowd ground truth is ignored, may match any number of detections, and its IoU is
 *       intersection / detection area; ground truth outside the area range is ignored, and so are
 *       unmatched detections outside it;
 *   <li>precision at each recall point is the maximum precision at that or higher recall; AP is
 *       the mean over IoU thresholds, recall points and classes with ground truth.
 * </ul>
 *
 * The evaluated images and classes are given explicitly (images without objects still count: their
 * detections are false positives). For parity with cocoeval pass them in ascending id order; ties
 * in score are then broken the same way.
 */
public final class CocoDetectionEvaluator {
  private static final int THRESHOLDS = 10;
  private static final int RECALL_POINTS = 101;
  private static final double[][] AREA_RANGES = {
      {0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}};
  private static final int[] MAX_DETS = {1, 10, 100};

  /** The twelve standard COCO numbers. */
  public record Result(double[] stats) {
    public double ap() {
      return stats[0];
    }

    public double ap50() {
      return stats[1];
    }

    public double ap75() {
      return stats[2];
    }

    public double apSmall() {
      return stats[3];
    }

    public double apMedium() {
      return stats[4];
    }

    public double apLarge() {
      return stats[5];
    }

    public double ar1() {
      return stats[6];
    }

    public double ar10() {
      return stats[7];
    }

    public double ar100() {
      return stats[8];
    }

    /** Names of {@link #stats()} in order. */
    public static List<String> names() {
      return List.of("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl");
    }
  }

  /** The IoU thresholds 0.5, 0.55, ..., 0.95, computed as numpy's linspace does. */
  static double[] iouThresholds() {
    double[] t = new double[THRESHOLDS];
    double step = (0.95 - 0.5) / (THRESHOLDS - 1);
    for (int i = 0; i < THRESHOLDS; i++) t[i] = i * step + 0.5;
    t[THRESHOLDS - 1] = 0.95;
    return t;
  }

  static double[] recallThresholds() {
    double[] r = new double[RECALL_POINTS];
    double step = 1.0 / (RECALL_POINTS - 1);
    for (int i = 0; i < RECALL_POINTS; i++) r[i] = i * step;
    r[RECALL_POINTS - 1] = 1.0;
    return r;
  }

  /** Evaluates over the images and classes that occur in the ground truth. */
  public Result evaluate(Collection<GroundTruthBox> groundTruth, Collection<ScoredDetection> detections) {
    Set<String> images = new LinkedHashSet<>();
    TreeSet<Integer> classes = new TreeSet<>();
    for (GroundTruthBox g : groundTruth) {
      images.add(g.imageId());
      classes.add(g.classId());
    }
    return evaluate(List.copyOf(images), List.copyOf(classes), groundTruth, detections);
  }

  /** One image x class evaluation (cocoeval's evaluateImg), at most {@code maxDet} detections. */
  private record ImageEval(double[] scores, boolean[][] matched, boolean[][] ignored, int nonIgnoredGt) {}

  public Result evaluate(List<String> imageIds, List<Integer> classIds, Collection<GroundTruthBox> groundTruth,
      Collection<ScoredDetection> detections) {
    Set<String> imageSet = new HashSet<>(imageIds);
    Set<Integer> classSet = new HashSet<>(classIds);
    Map<String, List<GroundTruthBox>> gts = new HashMap<>();
    for (GroundTruthBox g : groundTruth) {
      if (imageSet.contains(g.imageId()) && classSet.contains(g.classId())) {
        gts.computeIfAbsent(key(g.imageId(), g.classId()), k -> new ArrayList<>()).add(g);
      }
    }
    Map<String, List<ScoredDetection>> dts = new HashMap<>();
    for (ScoredDetection d : detections) {
      if (imageSet.contains(d.imageId()) && classSet.contains(d.classId())) {
        dts.computeIfAbsent(key(d.imageId(), d.classId()), k -> new ArrayList<>()).add(d);
      }
    }
    double[] thresholds = iouThresholds();
    double[] recallPoints = recallThresholds();
    int k = classIds.size();
    int maxDet = MAX_DETS[MAX_DETS.length - 1];
    // precision[t][r][k][a][m], recall[t][k][a][m]; -1 = no ground truth.
    double[][][][][] precision = new double[THRESHOLDS][RECALL_POINTS][k][AREA_RANGES.length][MAX_DETS.length];
    double[][][][] recall = new double[THRESHOLDS][k][AREA_RANGES.length][MAX_DETS.length];
    for (double[][][][] a : precision) for (double[][][] b : a) for (double[][] c : b) for (double[] d : c) java.util.Arrays.fill(d, -1);
    for (double[][][] a : recall) for (double[][] b : a) for (double[] c : b) java.util.Arrays.fill(c, -1);

    for (int ki = 0; ki < k; ki++) {
      int classId = classIds.get(ki);
      for (int a = 0; a < AREA_RANGES.length; a++) {
        List<ImageEval> evals = new ArrayList<>();
        for (String image : imageIds) {
          ImageEval e = evaluateImage(
              gts.getOrDefault(key(image, classId), List.of()), dts.getOrDefault(key(image, classId), List.of()),
              AREA_RANGES[a], maxDet, thresholds);
          if (e != null) evals.add(e);
        }
        if (evals.isEmpty()) continue;
        for (int m = 0; m < MAX_DETS.length; m++) {
          accumulate(evals, MAX_DETS[m], recallPoints, ki, a, m, precision, recall);
        }
      }
    }
    double[] stats = new double[12];
    stats[0] = summarize(precision, recall, true, -1, 0, 2);
    stats[1] = summarize(precision, recall, true, 0, 0, 2);
    stats[2] = summarize(precision, recall, true, 5, 0, 2);
    stats[3] = summarize(precision, recall, true, -1, 1, 2);
    stats[4] = summarize(precision, recall, true, -1, 2, 2);
    stats[5] = summarize(precision, recall, true, -1, 3, 2);
    stats[6] = summarize(precision, recall, false, -1, 0, 0);
    stats[7] = summarize(precision, recall, false, -1, 0, 1);
    stats[8] = summarize(precision, recall, false, -1, 0, 2);
    stats[9] = summarize(precision, recall, false, -1, 1, 2);
    stats[10] = summarize(precision, recall, false, -1, 2, 2);
    stats[11] = summarize(precision, recall, false, -1, 3, 2);
    return new Result(stats);
  }

  private static ImageEval evaluateImage(
      List<GroundTruthBox> gtIn, List<ScoredDetection> dtIn, double[] range, int maxDet, double[] thresholds) {
    if (gtIn.isEmpty() && dtIn.isEmpty()) return null;
    // Ground truth: ignored ones last (stable); detections: best first (stable), at most maxDet.
    List<GroundTruthBox> gt = new ArrayList<>(gtIn);
    gt.sort(Comparator.comparingInt(g -> ignored(g, range) ? 1 : 0));
    List<ScoredDetection> dt = new ArrayList<>(dtIn);
    dt.sort(Comparator.comparingDouble(ScoredDetection::score).reversed());
    if (dt.size() > maxDet) dt = dt.subList(0, maxDet);
    int g = gt.size();
    int d = dt.size();
    boolean[] gtIgnore = new boolean[g];
    int nonIgnored = 0;
    for (int j = 0; j < g; j++) {
      gtIgnore[j] = ignored(gt.get(j), range);
      if (!gtIgnore[j]) nonIgnored++;
    }
    double[][] ious = new double[d][g];
    for (int i = 0; i < d; i++) {
      Box db = dt.get(i).box();
      for (int j = 0; j < g; j++) {
        GroundTruthBox gj = gt.get(j);
        if (gj.crowd()) {
          double area = db.area();
          ious[i][j] = area <= 0 ? 0 : db.intersection(gj.box()) / area;
        } else {
          ious[i][j] = db.iou(gj.box());
        }
      }
    }
    int t = thresholds.length;
    boolean[][] dtMatched = new boolean[t][d];
    boolean[][] dtIgnore = new boolean[t][d];
    for (int ti = 0; ti < t; ti++) {
      boolean[] gtMatched = new boolean[g];
      for (int i = 0; i < d; i++) {
        double best = Math.min(thresholds[ti], 1 - 1e-10);
        int m = -1;
        for (int j = 0; j < g; j++) {
          if (gtMatched[j] && !gt.get(j).crowd()) continue;
          // Already matched to real ground truth: stop at the first ignored one.
          if (m > -1 && !gtIgnore[m] && gtIgnore[j]) break;
          if (ious[i][j] < best) continue;
          best = ious[i][j];
          m = j;
        }
        if (m == -1) continue;
        dtIgnore[ti][i] = gtIgnore[m];
        dtMatched[ti][i] = true;
        gtMatched[m] = true;
      }
    }
    for (int i = 0; i < d; i++) {
      double area = dt.get(i).box().area();
      boolean outside = area < range[0] || area > range[1];
      for (int ti = 0; ti < t; ti++) {
        if (!dtMatched[ti][i] && outside) dtIgnore[ti][i] = true;
      }
    }
    double[] scores = new double[d];
    for (int i = 0; i < d; i++) scores[i] = dt.get(i).score();
    return new ImageEval(scores, dtMatched, dtIgnore, nonIgnored);
  }

  private static boolean ignored(GroundTruthBox g, double[] range) {
    double area = g.effectiveArea();
    return g.crowd() || area < range[0] || area > range[1];
  }

  private static void accumulate(List<ImageEval> evals, int maxDet, double[] recallPoints, int k, int a, int m,
      double[][][][][] precision, double[][][][] recall) {
    int npig = 0;
    List<double[]> entries = new ArrayList<>(); // {score, image index, detection index}
    for (int e = 0; e < evals.size(); e++) {
      ImageEval ev = evals.get(e);
      npig += ev.nonIgnoredGt();
      for (int i = 0; i < Math.min(maxDet, ev.scores().length); i++) entries.add(new double[] {ev.scores()[i], e, i});
    }
    if (npig == 0) return;
    entries.sort(Comparator.comparingDouble((double[] x) -> x[0]).reversed()); // stable, like mergesort
    int nd = entries.size();
    for (int t = 0; t < recall.length; t++) {
      double[] rc = new double[nd];
      double[] pr = new double[nd];
      double tp = 0;
      double fp = 0;
      for (int i = 0; i < nd; i++) {
        ImageEval ev = evals.get((int) entries.get(i)[1]);
        int di = (int) entries.get(i)[2];
        if (!ev.ignored()[t][di]) {
          if (ev.matched()[t][di]) tp++; else fp++;
        }
        rc[i] = tp / npig;
        pr[i] = tp / (fp + tp + Math.ulp(1.0));
      }
      recall[t][k][a][m] = nd > 0 ? rc[nd - 1] : 0;
      for (int i = nd - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
      for (int r = 0; r < recallPoints.length; r++) {
        int pi = lowerBound(rc, recallPoints[r]);
        // cocoeval leaves the remaining points at 0 once the curve ends.
        precision[t][r][k][a][m] = pi < nd ? pr[pi] : 0;
      }
    }
  }

  /** First index with {@code values[i] >= x} (numpy searchsorted, side left), or the length. */
  private static int lowerBound(double[] values, double x) {
    int lo = 0;
    int hi = values.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (values[mid] < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  private static double summarize(double[][][][][] precision, double[][][][] recall, boolean ap, int threshold,
      int area, int maxDetIndex) {
    double sum = 0;
    int n = 0;
    for (int t = 0; t < THRESHOLDS; t++) {
      if (threshold >= 0 && t != threshold) continue;
      int classes = recall[t].length;
      for (int k = 0; k < classes; k++) {
        if (ap) {
          for (int r = 0; r < RECALL_POINTS; r++) {
            double v = precision[t][r][k][area][maxDetIndex];
            if (v > -1) {
              sum += v;
              n++;
            }
          }
        } else {
          double v = recall[t][k][area][maxDetIndex];
          if (v > -1) {
            sum += v;
            n++;
          }
        }
      }
    }
    return n == 0 ? -1 : sum / n;
  }

  private static String key(String image, int classId) {
    return classId + "\u0000" + image;
  }
}
