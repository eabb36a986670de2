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
 * truth > 0), per image
 * <ul>
 *   <li>{@code delta1..3}: fraction with {@code max(p/g, g/p) < 1.25, 1.25^2, 1.25^3};
 *   <li>{@code abs_rel}: mean {@code |p - g| / g};
 *   <li>{@code rmse}: {@code sqrt(mean((p - g)^2))};
 * </ul>
 * then averaged over images with at least one valid pixel. Predictions are clamped to
 * {@code minDepth} (a ratio needs positive depth). With {@code alignScaleShift} each image's
 * prediction is first mapped by the least-squares scale and shift onto the ground truth, for
 * models trained with a scale-and-shift-invariant loss.
 */
public final class DepthMetrics implements EvalMetric {
  private final String head;
  private final String predictions;
  private final String labels;
  private final String valid;
  private final boolean alignScaleShift;
  private final double minDepth;
  private final double[] sums = new double[5]; // delta1, delta2, delta3, abs_rel, rmse
  private long images;

  /**
   * @param predictions predicted depth {@code [B, H, W(, 1)]}
   * @param labels ground-truth depth, same size
   * @param valid validity mask, same size ({@code ''}: every pixel with depth > 0)
   */
  @Configurable
  public DepthMetrics(@Default("'depth'") String head,
      @Default("'depth/depth'") String predictions,
      @Default("'inputs/depth'") String labels,
      @Default("'inputs/depth_valid'") String valid,
      @Default("False") boolean alignScaleShift,
      @Default("1e-3") double minDepth) {
    this.head = head;
    this.predictions = predictions;
    this.labels = labels;
    this.valid = valid;
    this.alignScaleShift = alignScaleShift;
    this.minDepth = minDepth;
  }

  @Override
  public String name() {
    return head;
  }

  @Override
  public List<String> requiredTensors() {
    List<String> r = new ArrayList<>(List.of(predictions, labels));
    if (!valid.isEmpty()) r.add(valid);
    return r;
  }

  @Override
  public void update(Map<String, Tensor> tensors) {
    Tensor pt = TensorArrays.require(tensors, predictions, "DepthMetrics");
    Tensor gt = TensorArrays.require(tensors, labels, "DepthMetrics");
    float[] p = TensorArrays.floats(pt, predictions);
    float[] g = TensorArrays.floats(gt, labels);
    float[] m = valid.isEmpty() ? null : TensorArrays.floats(TensorArrays.require(tensors, valid, "DepthMetrics"), valid);
    if (p.length != g.length || (m != null && m.length != g.length)) {
      throw new IllegalArgumentException("DepthMetrics: predictions " + pt.shape() + ", labels " + gt.shape()
          + (m != null ? ", mask of " + m.length + " values" : "") + " differ in size");
    }
    int b = (int) pt.shape().get(0);
    int n = p.length / b;
    for (int i = 0; i < b; i++) {
      int off = i * n;
      double scale = 1;
      double shift = 0;
      if (alignScaleShift) {
        double[] st = fitScaleShift(p, g, m, off, n);
        if (st == null) continue;
        scale = st[0];
        shift = st[1];
      }
      long count = 0;
      double d1 = 0, d2 = 0, d3 = 0, absRel = 0, sq = 0;
      for (int k = off; k < off + n; k++) {
        if (!isValid(g, m, k)) continue;
        double pred = Math.max(minDepth, scale * p[k] + shift);
        double truth = g[k];
        double ratio = Math.max(pred / truth, truth / pred);
        if (ratio < 1.25) d1++;
        if (ratio < 1.25 * 1.25) d2++;
        if (ratio < 1.25 * 1.25 * 1.25) d3++;
        absRel += Math.abs(pred - truth) / truth;
        sq += (pred - truth) * (pred - truth);
        count++;
      }
      if (count == 0) continue;
      sums[0] += d1 / count;
      sums[1] += d2 / count;
      sums[2] += d3 / count;
      sums[3] += absRel / count;
      sums[4] += Math.sqrt(sq / count);
      images++;
    }
  }

  private static boolean isValid(float[] g, float[] m, int k) {
    return g[k] > 0 && Float.isFinite(g[k]) && (m == null || m[k] > 0);
  }

  /** Least-squares {@code (s, t)} minimising {@code sum (s p + t - g)^2} over valid pixels; null if degenerate. */
  private static double[] fitScaleShift(float[] p, float[] g, float[] m, int off, int n) {
    double sp = 0, sg = 0, spp = 0, spg = 0;
    long c = 0;
    for (int k = off; k < off + n; k++) {
      if (!isValid(g, m, k)) continue;
      sp += p[k];
      sg += g[k];
      spp += (double) p[k] * p[k];
      spg += (double) p[k] * g[k];
      c++;
    }
    if (c == 0) return null;
    double det = c * spp - sp * sp;
    if (Math.abs(det) < 1e-12) return new double[] {0, sg / c};
    double s = (c * spg - sp * sg) / det;
    return new double[] {s, (sg - s * sp) / c};
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
