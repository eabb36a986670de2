package org.mustjava.models.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.train.EvalMetric;
import org.tensorflow.Tensor;

/**
 * Classification accuracy: top-1 and top-5 (top-k with k = number of classes when there are fewer
 * than 5). An example counts as top-k correct when fewer than k classes score strictly higher
 * than the true class (ties resolved in the example's favour). Examples whose label is negative
 * (the pipelines' "no label", e.g. a synthetic scene without a visible object) are skipped.
 */
public final class TopKAccuracy implements EvalMetric {
  private final String head;
  private final String scores;
  private final String labels;
  private long examples;
  private long top1;
  private long top5;

  /**
   * @param head the head name, the prefix of results ({@code classification/top1})
   * @param scores prediction tensor {@code [B, C]} (logits or probabilities), as {@code head/name}
   * @param labels int class labels {@code [B]}, as {@code inputs/key}
   */
  @Configurable
  public TopKAccuracy(@Default("'classification'") String head,
      @Default("'classification/logits'") String scores,
      @Default("'inputs/class_label'") String labels) {
    this.head = head;
    this.scores = scores;
    this.labels = labels;
  }

  @Override
  public String name() {
    return head;
  }

  @Override
  public List<String> requiredTensors() {
    return List.of(scores, labels);
  }

  @Override
  public void update(Map<String, Tensor> tensors) {
    Tensor s = TensorArrays.require(tensors, scores, "TopKAccuracy");
    Tensor l = TensorArrays.require(tensors, labels, "TopKAccuracy");
    if (s.shape().numDimensions() != 2) throw new IllegalArgumentException("TopKAccuracy: " + scores + " must be [B, C], got " + s.shape());
    int b = (int) s.shape().get(0);
    int c = (int) s.shape().get(1);
    float[] sc = TensorArrays.floats(s, scores);
    int[] lab = TensorArrays.ints(l, labels);
    if (lab.length != b) throw new IllegalArgumentException("TopKAccuracy: " + b + " score rows but " + lab.length + " labels");
    for (int i = 0; i < b; i++) {
      int y = lab[i];
      if (y < 0) continue;
      if (y >= c) throw new IllegalArgumentException("TopKAccuracy: label " + y + " outside [0, " + c + ")");
      float target = sc[i * c + y];
      int higher = 0;
      for (int j = 0; j < c; j++) if (sc[i * c + j] > target) higher++;
      if (higher < 1) top1++;
      if (higher < 5) top5++;
      examples++;
    }
  }

  @Override
  public Map<String, Double> result() {
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("top1", examples == 0 ? Double.NaN : top1 / (double) examples);
    r.put("top5", examples == 0 ? Double.NaN : top5 / (double) examples);
    return r;
  }

  @Override
  public void reset() {
    examples = 0;
    top1 = 0;
    top5 = 0;
  }
}
