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
 */
public final class NormalsMetrics implements EvalMetric {
  private static final int BINS_PER_DEGREE = 100;
  private final String head;
  private final String predictions;
  private final String labels;
  private final String valid;
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
   */
  @Configurable
  public NormalsMetrics(@Default("'normals'") String head,
      @Default("'normals/normals'") String predictions,
      @Default("'inputs/normals'") String labels,
      @Default("'inputs/normals_valid'") String valid) {
    this.head = head;
    this.predictions = predictions;
    this.labels = labels;
    this.valid = valid;
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
    Tensor pt = TensorArrays.require(tensors, predictions, "NormalsMetrics");
    float[] p = TensorArrays.floats(pt, predictions);
    float[] g = TensorArrays.floats(TensorArrays.require(tensors, labels, "NormalsMetrics"), labels);
    float[] m = valid.isEmpty() ? null : TensorArrays.floats(TensorArrays.require(tensors, valid, "NormalsMetrics"), valid);
    if (p.length != g.length || p.length % 3 != 0 || (m != null && m.length * 3 != p.length)) {
      throw new IllegalArgumentException("NormalsMetrics: predictions " + pt.shape() + " need labels of the same shape and a mask of one value per pixel");
    }
    for (int px = 0; px < p.length / 3; px++) {
      int k = px * 3;
      double gn = Math.sqrt(g[k] * g[k] + g[k + 1] * g[k + 1] + g[k + 2] * g[k + 2]);
      if ((m != null && !(m[px] > 0)) || !(gn > 0)) continue;
      double pn = Math.sqrt(p[k] * p[k] + p[k + 1] * p[k + 1] + p[k + 2] * p[k + 2]);
      double cos = pn > 0 ? (p[k] * g[k] + p[k + 1] * g[k + 1] + p[k + 2] * g[k + 2]) / (pn * gn) : -1;
      double angle = Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cos))));
      angleSum += angle;
      pixels++;
      if (angle < 11.25) under11++;
      if (angle < 22.5) under22++;
      if (angle < 30) under30++;
      histogram[(int) Math.min(histogram.length - 1, Math.floor(angle * BINS_PER_DEGREE))]++;
    }
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
