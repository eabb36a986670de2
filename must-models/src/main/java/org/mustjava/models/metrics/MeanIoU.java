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
 *
 * <p>With {@code originalResolution} (the paper's protocol) every pixel of the label map at its
 * original resolution counts: labels are read from {@code <labels>_original} (the eval pipeline
 * emits them with {@code Pipeline.original_labels = True}) and each prediction's image region is
 * resized to the label's size ({@link OriginalResolution}). Float scores {@code [B, H, W, C]} (e.g.
 * {@code segmentation/logits}, the usual choice) are resized bilinearly, then arg-maxed; int class
 * ids {@code [B, H, W]} by nearest neighbour.
 */
public final class MeanIoU implements EvalMetric {
  private final String head;
  private final int numClasses;
  private final String predictions;
  private final String labels;
  private final int ignoreLabel;
  private final boolean originalResolution;
  private final long[] confusion; // [label * numClasses + prediction]

  /**
   * @param predictions predicted class per pixel {@code [B, H, W]} (int)
   * @param labels labelled class per pixel {@code [B, H, W]} (int), same size
   * @param originalResolution score at the labels' original resolution (see the class comment)
   */
  @Configurable
  public MeanIoU(@Default("'segmentation'") String head, int numClasses,
      @Default("'segmentation/classes'") String predictions,
      @Default("'inputs/segmentation'") String labels,
      @Default("255") int ignoreLabel,
      @Default("False") boolean originalResolution) {
    if (numClasses <= 0) throw new IllegalArgumentException("MeanIoU.num_classes must be positive: " + numClasses);
    this.head = head;
    this.numClasses = numClasses;
    this.predictions = predictions;
    this.labels = labels;
    this.ignoreLabel = ignoreLabel;
    this.originalResolution = originalResolution;
    this.confusion = new long[numClasses * numClasses];
  }

  @Override
  public String name() {
    return head;
  }

  /** At the model's input resolution. */
  public MeanIoU(String head, int numClasses, String predictions, String labels, int ignoreLabel) {
    this(head, numClasses, predictions, labels, ignoreLabel, false);
  }

  @Override
  public List<String> requiredTensors() {
    if (!originalResolution) return List.of(predictions, labels);
    List<String> r = new java.util.ArrayList<>(List.of(predictions, OriginalResolution.original(labels)));
    r.addAll(OriginalResolution.geometryTensors(labels));
    return r;
  }

  @Override
  public void update(Map<String, Tensor> tensors) {
    if (originalResolution) {
      updateOriginal(tensors);
      return;
    }
    Tensor p = TensorArrays.require(tensors, predictions, "MeanIoU");
    Tensor l = TensorArrays.require(tensors, labels, "MeanIoU");
    int[] pred = TensorArrays.ints(p, predictions);
    int[] lab = TensorArrays.ints(l, labels);
    if (pred.length != lab.length) {
      throw new IllegalArgumentException("MeanIoU: predictions " + p.shape() + " and labels " + l.shape() + " differ in size");
    }
    for (int i = 0; i < lab.length; i++) add(lab[i], pred[i]);
  }

  private void add(int label, int predicted) {
    if (label == ignoreLabel) return;
    if (label < 0 || label >= numClasses) {
      throw new IllegalArgumentException("MeanIoU: label " + label + " outside [0, " + numClasses + ") and not the ignore label " + ignoreLabel);
    }
    if (predicted < 0 || predicted >= numClasses) {
      throw new IllegalArgumentException("MeanIoU: predicted class " + predicted + " outside [0, " + numClasses + ")");
    }
    confusion[label * numClasses + predicted]++;
  }

  private void updateOriginal(Map<String, Tensor> tensors) {
    String labelKey = OriginalResolution.original(labels);
    Tensor p = TensorArrays.require(tensors, predictions, "MeanIoU");
    Tensor l = TensorArrays.require(tensors, labelKey, "MeanIoU");
    OriginalResolution.Geometry g = OriginalResolution.Geometry.read(tensors, labels, "MeanIoU");
    boolean scores = p instanceof org.tensorflow.types.TFloat32;
    int rank = p.shape().numDimensions();
    if (scores ? rank != 4 : rank != 3) {
      throw new IllegalArgumentException("MeanIoU: " + predictions + " must be float scores [B, H, W, C] or int classes"
          + " [B, H, W], got " + p.dataType() + " " + p.shape());
    }
    if (l.shape().numDimensions() != 3) throw new IllegalArgumentException("MeanIoU: " + labelKey + " must be [B, H', W'], got " + l.shape());
    int mapH = (int) p.shape().get(1);
    int mapW = (int) p.shape().get(2);
    int channels = scores ? (int) p.shape().get(3) : 1;
    if (scores && channels != numClasses) {
      throw new IllegalArgumentException("MeanIoU: " + predictions + " has " + channels + " classes, num_classes is " + numClasses);
    }
    int labelH = (int) l.shape().get(1);
    int labelW = (int) l.shape().get(2);
    float[] score = scores ? TensorArrays.floats(p, predictions) : null;
    int[] classes = scores ? null : TensorArrays.ints(p, predictions);
    int[] lab = TensorArrays.ints(l, labelKey);
    for (int b = 0; b < g.batch(); b++) {
      int rh = g.resizedHeight(b);
      int rw = g.resizedWidth(b);
      OriginalResolution.checkRegion("MeanIoU", b, rh, rw, mapH, mapW);
      int outH = g.labelHeight(b);
      int outW = g.labelWidth(b);
      int[] predicted;
      if (scores) {
        float[] up = OriginalResolution.bilinear(score, b * mapH * mapW * channels, mapW, channels, rh, rw, outH, outW);
        predicted = new int[outH * outW];
        for (int i = 0; i < predicted.length; i++) {
          int best = 0;
          for (int c = 1; c < channels; c++) if (up[i * channels + c] > up[i * channels + best]) best = c;
          predicted[i] = best;
        }
      } else {
        predicted = OriginalResolution.nearest(classes, b * mapH * mapW, mapW, rh, rw, outH, outW);
      }
      for (int y = 0; y < outH; y++) {
        for (int x = 0; x < outW; x++) add(lab[(b * labelH + y) * labelW + x], predicted[y * outW + x]);
      }
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
