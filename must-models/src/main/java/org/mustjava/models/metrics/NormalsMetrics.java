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
 * Surface normals (the protocol of Fouhey et al. / DIODE): the angle between predicted and true
 * normal at every valid pixel of the eval set, pooled over all pixels: mean and median angle in
 * degrees and the percentage of pixels under 11.25, 22.5 and 30 degrees.
 *
 * <p>Vectors are normalised before the angle is taken. Mean and threshold percentages are exact;
 * the median comes from a histogram with 0.01-degree bins (exact to 0.01 degree), so memory does
 * not grow with the eval set.
 *
 * <p>With {@code originalResolution} (the paper's protocol) the labels are {@code
 * <labels>_original} and {@code <valid>_original} at their own resolution ({@code
 * Pipeline.original_labels = True}) and each prediction's image region is resized bilinearly to it
 * ({@link OriginalResolution}) before the angles are taken.
 */
public final class NormalsMetrics implements EvalMetric {
  private static final int BINS_PER_DEGREE = 100;
  private final String head;
  private final String predictions;
  private final String labels;
  private final String valid;
  private final boolean originalResolution;
  private final long[] histogram = new long[180 * BINS_PER_DEGREE + 1];
  private double angleSum;
  private long pixels;
  private long under11;
  private long under22;
  private long under30;

  /**
   * @param predictions normals {@code [B, H, W, 3]}
   * @param labels true normals, same shape
   * @param valid mask {@code [B, H, W(, 1)]} ({@code ''}: pixels whose true normal is non-zero)
   * @param originalResolution score at the labels' original resolution
   */
  @Configurable
  public NormalsMetrics(@Default("'normals'") String head,
      @Default("'normals/normals'") String predictions,
      @Default("'inputs/normals'") String labels,
      @Default("'inputs/normals_valid'") String valid,
      @Default("False") boolean originalResolution) {
    this.head = head;
    this.predictions = predictions;
    this.labels = labels;
    this.valid = valid;
    this.originalResolution = originalResolution;
  }

  /** At the model's input resolution. */
  public NormalsMetrics(String head, String predictions, String labels, String valid) {
    this(head, predictions, labels, valid, false);
  }

  private String labelKey() {
    return originalResolution ? OriginalResolution.original(labels) : labels;
  }

  private String validKey() {
    return valid.isEmpty() || !originalResolution ? valid : OriginalResolution.original(valid);
  }

  @Override
  public String name() {
    return head;
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
    if (originalResolution) {
      updateOriginal(tensors);
      return;
    }
    Tensor pt = TensorArrays.require(tensors, predictions, "NormalsMetrics");
    float[] p = TensorArrays.floats(pt, predictions);
    float[] g = TensorArrays.floats(TensorArrays.require(tensors, labels, "NormalsMetrics"), labels);
    float[] m = valid.isEmpty() ? null : TensorArrays.floats(TensorArrays.require(tensors, valid, "NormalsMetrics"), valid);
    if (p.length != g.length || p.length % 3 != 0 || (m != null && m.length * 3 != p.length)) {
      throw new IllegalArgumentException("NormalsMetrics: predictions " + pt.shape() + " need labels of the same shape and a mask of one value per pixel");
    }
    for (int px = 0; px < p.length / 3; px++) add(p, px * 3, g, px * 3, m, px);
  }

  private void updateOriginal(Map<String, Tensor> tensors) {
    Tensor pt = TensorArrays.require(tensors, predictions, "NormalsMetrics");
    Tensor gt = TensorArrays.require(tensors, labelKey(), "NormalsMetrics");
    if (pt.shape().numDimensions() != 4 || pt.shape().get(3) != 3 || gt.shape().numDimensions() != 4 || gt.shape().get(3) != 3) {
      throw new IllegalArgumentException("NormalsMetrics: " + predictions + " and " + labelKey() + " must be [B, H, W, 3], got "
          + pt.shape() + " and " + gt.shape());
    }
    float[] p = TensorArrays.floats(pt, predictions);
    float[] g = TensorArrays.floats(gt, labelKey());
    float[] m = valid.isEmpty() ? null
        : TensorArrays.floats(TensorArrays.require(tensors, validKey(), "NormalsMetrics"), validKey());
    OriginalResolution.Geometry geometry = OriginalResolution.Geometry.read(tensors, labels, "NormalsMetrics");
    int mapH = (int) pt.shape().get(1);
    int mapW = (int) pt.shape().get(2);
    int labelH = (int) gt.shape().get(1);
    int labelW = (int) gt.shape().get(2);
    if (m != null && m.length * 3 != g.length) {
      throw new IllegalArgumentException("NormalsMetrics: " + validKey() + " needs one value per pixel of " + labelKey());
    }
    for (int b = 0; b < geometry.batch(); b++) {
      int rh = geometry.resizedHeight(b);
      int rw = geometry.resizedWidth(b);
      OriginalResolution.checkRegion("NormalsMetrics", b, rh, rw, mapH, mapW);
      int outH = geometry.labelHeight(b);
      int outW = geometry.labelWidth(b);
      float[] up = OriginalResolution.bilinear(p, b * mapH * mapW * 3, mapW, 3, rh, rw, outH, outW);
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) {
          int px = (b * labelH + y) * labelW + x;
          add(up, (y * outW + x) * 3, g, px * 3, m, px);
        }
      }
    }
  }

  /** One pixel: prediction at {@code p[k..k+2]}, truth at {@code g[j..j+2]}, mask value {@code m[px]}. */
  private void add(float[] p, int k, float[] g, int j, float[] m, int px) {
    double gn = Math.sqrt(g[j] * g[j] + g[j + 1] * g[j + 1] + g[j + 2] * g[j + 2]);
    if ((m != null && !(m[px] > 0)) || !(gn > 0)) return;
    double pn = Math.sqrt(p[k] * p[k] + p[k + 1] * p[k + 1] + p[k + 2] * p[k + 2]);
    double cos = pn > 0 ? (p[k] * g[j] + p[k + 1] * g[j + 1] + p[k + 2] * g[j + 2]) / (pn * gn) : -1;
    double angle = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
    angleSum += angle;
    pixels++;
    if (angle < 11.25) under11++;
    if (angle < 22.5) under22++;
    if (angle < 30) under30++;
    histogram[(int) Math.min(histogram.length - 1, Math.floor(angle * BINS_PER_DEGREE))]++;
  }

  @Override
  public Map<String, Double> result() {
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("mean_angle", pixels == 0 ? Double.NaN : angleSum / pixels);
    r.put("median_angle", pixels == 0 ? Double.NaN : median());
    r.put("under_11.25", pixels == 0 ? Double.NaN : 100.0 * under11 / pixels);
    r.put("under_22.5", pixels == 0 ? Double.NaN : 100.0 * under22 / pixels);
    r.put("under_30", pixels == 0 ? Double.NaN : 100.0 * under30 / pixels);
    return r;
  }

  /** The centre of the bin holding the middle pixel. */
  private double median() {
    long half = (pixels + 1) / 2;
    long seen = 0;
    for (int b = 0; b < histogram.length; b++) {
      seen += histogram[b];
      if (seen >= half) return (b + 0.5) / BINS_PER_DEGREE;
    }
    return 180;
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(histogram, 0);
    angleSum = 0;
    pixels = under11 = under22 = under30 = 0;
  }
}
