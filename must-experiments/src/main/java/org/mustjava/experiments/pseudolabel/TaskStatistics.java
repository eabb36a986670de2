package org.mustjava.experiments.pseudolabel;

import java.util.TreeMap;
import org.mustjava.data.labels.LabelType;

/**
 * Label statistics of one teacher's pseudo-labels, accumulated per shard and summed over shards
 * (fields that do not apply to the task stay null and are left out of the JSON). The derived
 * averages are filled in by {@link #summarise()} before writing.
 */
final class TaskStatistics {
  String task;
  long images;
  /** Classification: argmax class; detection: box class; segmentation: pixel class -> count. */
  TreeMap<Integer, Long> classHistogram = new TreeMap<>();
  // classification
  Double sumTopProbability;
  Double meanTopProbability;
  // detection
  Long boxes;
  Long imagesWithoutBoxes;
  Double boxesPerImage;
  // segmentation, depth and normals
  Long pixels;
  Long ignoredPixels;
  Double ignoredFraction;
  Long nonFinitePixels;
  Double min;
  Double max;
  Double mean;
  Double sum;

  /** Empty statistics of a teacher of {@code task}, with the fields its {@link PseudoLabeler} fills. */
  static TaskStatistics of(LabelType task) {
    TaskStatistics s = new TaskStatistics();
    s.task = task.name();
    PseudoLabelers.of(task).initStatistics(s);
    return s;
  }

  void count(int cls, long n) {
    classHistogram.merge(cls, n, Long::sum);
  }

  void addDepth(double v) {
    min = min == null ? v : Math.min(min, v);
    max = max == null ? v : Math.max(max, v);
    sum += v;
  }

  /** Adds {@code o} (another shard of the same teacher) to this. */
  void add(TaskStatistics o) {
    images += o.images;
    if (classHistogram != null && o.classHistogram != null) o.classHistogram.forEach(this::count);
    sumTopProbability = plus(sumTopProbability, o.sumTopProbability);
    boxes = plus(boxes, o.boxes);
    imagesWithoutBoxes = plus(imagesWithoutBoxes, o.imagesWithoutBoxes);
    pixels = plus(pixels, o.pixels);
    ignoredPixels = plus(ignoredPixels, o.ignoredPixels);
    nonFinitePixels = plus(nonFinitePixels, o.nonFinitePixels);
    sum = plus(sum, o.sum);
    if (o.min != null) min = min == null ? o.min : Math.min(min, o.min);
    if (o.max != null) max = max == null ? o.max : Math.max(max, o.max);
  }

  void summarise() {
    if (sumTopProbability != null) meanTopProbability = images == 0 ? 0.0 : sumTopProbability / images;
    if (boxes != null) boxesPerImage = images == 0 ? 0.0 : (double) boxes / images;
    if (ignoredPixels != null) ignoredFraction = pixels == 0 ? 0.0 : (double) ignoredPixels / pixels;
    if (sum != null) {
      long finite = pixels - nonFinitePixels;
      mean = finite == 0 ? 0.0 : sum / finite;
    }
  }

  private static Long plus(Long a, Long b) {
    return a == null ? b : b == null ? a : (Long) (a + b);
  }

  private static Double plus(Double a, Double b) {
    return a == null ? b : b == null ? a : (Double) (a + b);
  }
}
