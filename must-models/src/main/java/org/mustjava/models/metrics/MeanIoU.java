package org.mustjava.models.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.train.EvalMetric;
import org.tensorflow.Tensor;

/**
 * Semantic segmentation: mean intersection-over-union from a confusion matrix accumulated over
 * the whole eval set (the PASCAL VOC / ADE20k protocol). Pixels whose label is {@code ignoreLabel}
 * are skipped; classes with an empty union (neither labelled nor predicted anywhere) are left out
 * of the mean. Also reports pixel accuracy.
 */
public final class MeanIoU implements EvalMetric {
  private final String head;
  private final int numClasses;
  private final String predictions;
  private final String labels;
  private final int ignoreLabel;
  private final long[] confusion; // [label * numClasses + prediction]

  /**
   * @param predictions predicted class per pixel {@code [B, H, W]} (int)
   * @param labels labelled class per pixel {@code [B, H, W]} (int), same size
   */
  @Configurable
  public MeanIoU(@Default("'segmentation'") String head, int numClasses,
      @Default("'segmentation/classes'") String predictions,
      @Default("'inputs/segmentation'") String labels,
      @Default("255") int ignoreLabel) {
    if (numClasses <= 0) throw new IllegalArgumentException("MeanIoU.num_classes must be positive: " + numClasses);
    this.head = head;
    this.numClasses = numClasses;
    this.predictions = predictions;
    this.labels = labels;
    this.ignoreLabel = ignoreLabel;
    this.confusion = new long[numClasses * numClasses];
  }

  @Override
  public String name() {
    return head;
  }

  @Override
  public List<String> requiredTensors() {
    return List.of(predictions, labels);
  }

  @Override
  public void update(Map<String, Tensor> tensors) {
    Tensor p = TensorArrays.require(tensors, predictions, "MeanIoU");
    Tensor l = TensorArrays.require(tensors, labels, "MeanIoU");
    int[] pred = TensorArrays.ints(p, predictions);
    int[] lab = TensorArrays.ints(l, labels);
    if (pred.length != lab.length) {
      throw new IllegalArgumentException("MeanIoU: predictions " + p.shape() + " and labels " + l.shape() + " differ in size");
    }
    for (int i = 0; i < lab.length; i++) {
      int y = lab[i];
      if (y == ignoreLabel) continue;
      if (y < 0 || y >= numClasses) {
        throw new IllegalArgumentException("MeanIoU: label " + y + " outside [0, " + numClasses + ") and not the ignore label " + ignoreLabel);
      }
      int q = pred[i];
      if (q < 0 || q >= numClasses) throw new IllegalArgumentException("MeanIoU: predicted class " + q + " outside [0, " + numClasses + ")");
      confusion[y * numClasses + q]++;
    }
  }

  @Override
  public Map<String, Double> result() {
    double sum = 0;
    int classes = 0;
    long correct = 0;
    long total = 0;
    for (int c = 0; c < numClasses; c++) {
      long tp = confusion[c * numClasses + c];
      long labelled = 0;
      long predicted = 0;
      for (int k = 0; k < numClasses; k++) {
        labelled += confusion[c * numClasses + k];
        predicted += confusion[k * numClasses + c];
      }
      long union = labelled + predicted - tp;
      if (union > 0) {
        sum += tp / (double) union;
        classes++;
      }
      correct += tp;
      total += labelled;
    }
    Map<String, Double> r = new LinkedHashMap<>();
    r.put("miou", classes == 0 ? Double.NaN : sum / classes);
    r.put("pixel_accuracy", total == 0 ? Double.NaN : correct / (double) total);
    return r;
  }

  @Override
  public void reset() {
    java.util.Arrays.fill(confusion, 0);
  }
}
