package org.mustjava.experiments.pseudolabel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The kind of label a teacher makes, what its outputs may mean (the keys of {@link
 * SavedModelTeacher}'s {@code outputs}) and the output names the project's own exports use (the
 * prediction names of its heads), which are the defaults.
 */
public enum TeacherTask {
  /** {@code logits} or {@code probabilities}: float32 [batch, classes]. */
  CLASSIFICATION(Map.of("logits", "logits"), List.of(Set.of("logits"), Set.of("probabilities")), Set.of()),
  /**
   * {@code boxes} float32 [batch, detections, 4], {@code scores} float32 [batch, detections],
   * {@code classes} (any number type) [batch, detections], optional {@code count} [batch].
   * Defaults: the names of the project's {@code DetectionHead} predictions.
   */
  DETECTION(defaultDetectionOutputs(), List.of(Set.of("boxes", "scores", "classes")), Set.of("count")),
  /** {@code logits} or {@code probabilities}: float32 [batch, height, width, classes]. */
  SEGMENTATION(Map.of("logits", "logits"), List.of(Set.of("logits"), Set.of("probabilities")), Set.of()),
  /** {@code depth} or {@code inverse_depth}: float32 [batch, height, width] or [..., 1]. */
  DEPTH(Map.of("depth", "depth"), List.of(Set.of("depth"), Set.of("inverse_depth")), Set.of()),
  /**
   * {@code normals}: float32 [batch, height, width, 3], unit surface normals in the frame of the
   * records' {@code image/normals/encoded} (what the project's {@code NormalsHead} predicts).
   */
  NORMALS(Map.of("normals", "normals"), List.of(Set.of("normals")), Set.of());

  private final Map<String, String> defaultOutputs;
  private final List<Set<String>> requiredAlternatives;
  private final Set<String> optional;

  TeacherTask(Map<String, String> defaultOutputs, List<Set<String>> requiredAlternatives, Set<String> optional) {
    this.defaultOutputs = defaultOutputs;
    this.requiredAlternatives = requiredAlternatives;
    this.optional = optional;
  }

  private static Map<String, String> defaultDetectionOutputs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("boxes", "detection_boxes_normalized");
    m.put("scores", "detection_scores");
    m.put("classes", "detection_classes");
    m.put("count", "num_detections");
    return m;
  }

  /** The config spelling: {@code classification}, {@code detection}, ... */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The output meanings and tensor names of the project's own export of this task's head. */
  public Map<String, String> defaultOutputs() {
    return defaultOutputs;
  }

  /** Parses a config value; the error lists the tasks there are. */
  public static TeacherTask parse(String s) {
    for (TeacherTask t : values()) {
      if (t.configName().equals(s)) return t;
    }
    throw new IllegalArgumentException("SavedModelTeacher.task must be one of 'classification', 'detection', "
        + "'segmentation', 'depth', 'normals'; got '" + s + "'");
  }

  /**
   * Checks that {@code outputs} names one allowed combination of meanings; the error says which
   * meanings this task takes.
   */
  void validateOutputs(Map<String, String> outputs) {
    for (Set<String> required : requiredAlternatives) {
      if (outputs.keySet().containsAll(required)) {
        Set<String> extra = new java.util.TreeSet<>(outputs.keySet());
        extra.removeAll(required);
        extra.removeAll(optional);
        if (extra.isEmpty()) return;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (Set<String> r : requiredAlternatives) {
      if (allowed.length() > 0) allowed.append(" or ");
      allowed.append(new java.util.TreeSet<>(r));
    }
    throw new IllegalArgumentException("SavedModelTeacher.outputs for task '" + configName() + "' must name "
        + allowed + (optional.isEmpty() ? "" : " (optionally " + optional + ")") + "; got " + outputs.keySet());
  }
}
