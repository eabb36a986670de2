package org.mustjava.models.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.train.EvalMetric;
import org.tensorflow.Tensor;

/**
 * Depth estimation (the NYU v2 protocol of Eigen et al.): over valid pixels (mask > 0 and ground
 * truth > 0, finite, and at most {@code maxDepth} when set), per image
 * <ul>
 *   <li>{@code delta1..3}: fraction with {@code max(p/g, g/p) < 1.25, 1.25^2, 1.25^3} (the paper's
 *       "% delta < 1.25" is 100 x delta1);
 *   <li>{@code abs_rel}: mean {@code |p - g| / g};
 *   <li>{@code rmse}: {@code sqrt(mean((p - g)^2))};
 * </ul>
 * then averaged over images with at least one valid pixel. Predicted depths are clamped to
 * {@code [minDepth, maxDepth]} (a ratio needs positive depth; no upper clamp when {@code maxDepth}
 * is 0).
 *
 * <p><b>Prediction space.</b> {@code 'depth'}: the head predicts depth. {@code 'inverse_depth'}:
 * it predicts inverse depth (disparity), as MiDaS-style relative heads; depth is {@code 1 / p}.
 *
 * <p><b>Relative heads</b> ({@code alignScaleShift}): each image's prediction is first mapped by the
 * least-squares scale and shift onto the ground truth <i>in the space the model predicts</i>:
 * {@code argmin_{s,t} sum (s p + t - g)^2} for depth, {@code sum (s p + t - 1/g)^2} for inverse
 * depth (MiDaS' evaluation), over the valid pixels; then converted to depth and clamped as above.
 *
 * <p><b>Resolution.</b> By default predictions and labels are the model-resolution tensors. With
 * {@code originalResolution} (the paper's protocol) the labels are {@code <labels>_original} and
 * {@code <valid>_original} at the labels' own resolution ({@code Pipeline.original_labels = True})
 * and each prediction's image region is resized bilinearly to it ({@link OriginalResolution}).
 * {@code eigenCrop} keeps only the crop of Eigen et al. used for NYU v2: rows [45, 471) and columns
 * [41, 601) of the 480 x 640 label, scaled proportionally (and rounded) for other label sizes.
 */
public final class DepthMetrics implements EvalMetric {
  /** Eigen's NYU crop on the 480 x 640 label: top, bottom (exclusive), left, right (exclusive). */
  private static final int[] EIGEN_CROP = {45, 471, 41, 601};
  private static final int EIGEN_HEIGHT = 480;
  private static final int EIGEN_WIDTH = 640;

  private final String head;
  private final String predictions;
  private final String labels;
  private final String valid;
  private final boolean alignScaleShift;
  private final double minDepth;
  private final double maxDepth;
  private final boolean inverseDepth;
  private final boolean originalResolution;
  private final boolean eigenCrop;
  private final double[] sums = new double[5]; // delta1, delta2, delta3, abs_rel, rmse
  private long images;

  /**
   * @param predictions predicted depth (or inverse depth) {@code [B, H, W(, 1)]}
   * @param labels ground-truth depth, same size
   * @param valid validity mask, same size ({@code ''}: every pixel with depth > 0)
   * @param maxDepth cap of ground truth and predictions (NYU: 10 m); 0: none
   * @param predictionSpace {@code 'depth'} or {@code 'inverse_depth'}
   * @param originalResolution score at the labels' original resolution
   * @param eigenCrop restrict to Eigen's NYU crop
   */
  @Configurable
  public DepthMetrics(@Default("'depth'") String head,
      @Default("'depth/depth'") String predictions,
      @Default("'inputs/depth'") String labels,
      @Default("'inputs/depth_valid'") String valid,
      @Default("False") boolean alignScaleShift,
      @Default("1e-3") double minDepth,
      @Default("0.0") double maxDepth,
      @Default("'depth'") String predictionSpace,
      @Default("False") boolean originalResolution,
      @Default("False") boolean eigenCrop) {
    if (!predictionSpace.equals("depth") && !predictionSpace.equals("inverse_depth")) {
      throw new IllegalArgumentException("DepthMetrics.prediction_space must be 'depth' or 'inverse_depth', got '" + predictionSpace + "'");
    }
    if (!(minDepth > 0) || maxDepth < 0 || (maxDepth > 0 && maxDepth <= minDepth)) {
      throw new IllegalArgumentException("DepthMetrics needs 0 < min_depth < max_depth (or max_depth 0), got "
          + minDepth + ", " + maxDepth);
    }
    if (eigenCrop && !originalResolution) {
      throw new IllegalArgumentException("DepthMetrics.eigen_crop is defined on the label's original resolution: set original_resolution = True");
    }
    this.head = head;
    this.predictions = predictions;
    this.labels = labels;
    this.valid = valid;
    this.alignScaleShift = alignScaleShift;
    this.minDepth = minDepth;
    this.maxDepth = maxDepth;
    this.inverseDepth = predictionSpace.equals("inverse_depth");
    this.originalResolution = originalResolution;
    this.eigenCrop = eigenCrop;
  }

  /** Metric depth at the model's input resolution. */
  public DepthMetrics(String head, String predictions, String labels, String valid, boolean alignScaleShift,
      double minDepth) {
    this(head, predictions, labels, valid, alignScaleShift, minDepth, 0, "depth", false, false);
  }

  @Override
  public String name() {
    return head;
  }

  private String labelKey() {
    return originalResolution ? OriginalResolution.original(labels) : labels;
  }

  private String validKey() {
    return valid.isEmpty() || !originalResolution ? valid : OriginalResolution.original(valid);
  }

  @Override
  public List<String> requiredTensors() {
    List<String> r = new ArrayList<>(List.of(predictions, labelKey()));
    if (!valid.isEmpty()) r.add(validKey());
    if (originalResolution) r.addAll(OriginalResolution.geometryTensors(labels));
    return r;
  }

  @Override
  public void update(Map<String, Tensor> tensors) {
    Tensor pt = TensorArrays.require(tensors, predictions, "DepthMetrics");
    Tensor gt = TensorArrays.require(tensors, labelKey(), "DepthMetrics");
    float[] p = TensorArrays.floats(pt, predictions);
    float[] g = TensorArrays.floats(gt, labelKey());
    float[] m = valid.isEmpty() ? null
        : TensorArrays.floats(TensorArrays.require(tensors, validKey(), "DepthMetrics"), validKey());
    if (m != null && m.length != g.length) {
      throw new IllegalArgumentException("DepthMetrics: labels " + gt.shape() + " and mask of " + m.length + " values differ in size");
    }
    int b = (int) pt.shape().get(0);
    if (!originalResolution) {
      if (p.length != g.length) {
        throw new IllegalArgumentException("DepthMetrics: predictions " + pt.shape() + " and labels " + gt.shape() + " differ in size");
      }
      int n = p.length / b;
      for (int i = 0; i < b; i++) {
        addImage(java.util.Arrays.copyOfRange(p, i * n, (i + 1) * n), g, m, i * n, 1, n, n);
      }
      return;
    }
    OriginalResolution.Geometry geometry = OriginalResolution.Geometry.read(tensors, labels, "DepthMetrics");
    int mapH = (int) pt.shape().get(1);
    int mapW = (int) pt.shape().get(2);
    if (p.length != b * mapH * mapW) {
      throw new IllegalArgumentException("DepthMetrics: " + predictions + " must be [B, H, W(, 1)], got " + pt.shape());
    }
    int labelH = (int) gt.shape().get(1);
    int labelW = (int) gt.shape().get(2);
    for (int i = 0; i < b; i++) {
      int rh = geometry.resizedHeight(i);
      int rw = geometry.resizedWidth(i);
      OriginalResolution.checkRegion("DepthMetrics", i, rh, rw, mapH, mapW);
      int outH = geometry.labelHeight(i);
      int outW = geometry.labelWidth(i);
      float[] up = OriginalResolution.bilinear(p, i * mapH * mapW, mapW, 1, rh, rw, outH, outW);
      addImage(up, g, m, i * labelH * labelW, outH, outW, labelW);
    }
  }

  /**
   * One image: predictions {@code pred[y * w + x]} for the h x w label pixels at {@code
   * g[offset + y * stride + x]}.
   */
  private void addImage(float[] pred, float[] g, float[] m, int offset, int h, int w, int stride) {
    int[] crop = eigenCrop
        ? new int[] {scaled(EIGEN_CROP[0], h, EIGEN_HEIGHT), scaled(EIGEN_CROP[1], h, EIGEN_HEIGHT),
            scaled(EIGEN_CROP[2], w, EIGEN_WIDTH), scaled(EIGEN_CROP[3], w, EIGEN_WIDTH)}
        : new int[] {0, h, 0, w};
    int n = 0;
    double[] pv = new double[h * w];
    double[] gv = new double[h * w];
    for (int y = crop[0]; y < crop[1]; y++) {
      for (int x = crop[2]; x < crop[3]; x++) {
        int k = offset + y * stride + x;
        float truth = g[k];
        if (!(truth > 0) || !Float.isFinite(truth) || (m != null && !(m[k] > 0)) || (maxDepth > 0 && truth > maxDepth)) continue;
        pv[n] = pred[y * w + x];
        gv[n] = truth;
        n++;
      }
    }
    if (n == 0) return;
    double scale = 1;
    double shift = 0;
    if (alignScaleShift) {
      double[] target = new double[n];
      for (int i = 0; i < n; i++) target[i] = inverseDepth ? 1 / gv[i] : gv[i];
      double[] st = fitScaleShift(pv, target, n);
      scale = st[0];
      shift = st[1];
    }
    double d1 = 0, d2 = 0, d3 = 0, absRel = 0, sq = 0;
    for (int i = 0; i < n; i++) {
      double aligned = scale * pv[i] + shift;
      double depth = inverseDepth ? 1 / Math.max(aligned, 1e-12) : aligned;
      depth = Math.max(minDepth, maxDepth > 0 ? Math.min(maxDepth, depth) : depth);
      double truth = gv[i];
      double ratio = Math.max(depth / truth, truth / depth);
      if (ratio < 1.25) d1++;
      if (ratio < 1.25 * 1.25) d2++;
      if (ratio < 1.25 * 1.25 * 1.25) d3++;
      absRel += Math.abs(depth - truth) / truth;
      sq += (depth - truth) * (depth - truth);
    }
    sums[0] += d1 / n;
    sums[1] += d2 / n;
    sums[2] += d3 / n;
    sums[3] += absRel / n;
    sums[4] += Math.sqrt(sq / n);
    images++;
  }

  /** {@code round(v * size / reference)}: Eigen's crop bound on a label of another size. */
  private static int scaled(int v, int size, int reference) {
    return (int) Math.round((double) v * size / reference);
  }

  /** Least-squares {@code (s, t)} minimising {@code sum (s p + t - q)^2}; {@code (0, mean q)} if p is constant. */
  private static double[] fitScaleShift(double[] p, double[] q, int n) {
    double sp = 0, sq = 0, spp = 0, spq = 0;
    for (int k = 0; k < n; k++) {
      sp += p[k];
      sq += q[k];
      spp += p[k] * p[k];
      spq += p[k] * q[k];
    }
    double det = n * spp - sp * sp;
    if (Math.abs(det) < 1e-12) return new double[] {0, sq / n};
    double s = (n * spq - sp * sq) / det;
    return new double[] {s, (sq - s * sp) / n};
  }

  @Override
  public Map<String, Double> result() {
    Map<String, Double> r = new LinkedHashMap<>();
    String[] names = {"delta1", "delta2", "delta3", "abs_rel", "rmse"};
    for (int i = 0; i < names.length; i++) r.put(names[i], images == 0 ? Double.NaN : sums[i] / images);
    return r;
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(sums, 0);
    images = 0;
  }
}
