package org.mustjava.experiments.pseudolabel;

import java.util.List;
import java.util.stream.Collectors;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;

/**
 * The one list of pseudo-label makers, one per label type a teacher can label (every built-in
 * {@link LabelTypes} type today). A new label type's pseudo labels are one {@link PseudoLabeler}
 * and one entry here.
 */
final class PseudoLabelers {
  private PseudoLabelers() {}

  private static final List<PseudoLabeler> ALL = List.of(
      new ClassificationPseudoLabels(),
      new DetectionPseudoLabels(),
      new SegmentationPseudoLabels(),
      new DepthPseudoLabels(),
      new NormalsPseudoLabels());

  /** The pseudo-label maker of {@code type}. */
  static PseudoLabeler of(LabelType type) {
    for (PseudoLabeler p : ALL) {
      if (p.labelType().equals(type)) return p;
    }
    throw new IllegalArgumentException("no teacher makes '" + type.name() + "' pseudo labels (teachers make "
        + names() + ")");
  }

  /**
   * The label type a teacher's {@code task} names ({@code SavedModelTeacher.task}: a label type's
   * config name); the error lists the tasks teachers can label.
   */
  static LabelType parseTask(String task) {
    for (PseudoLabeler p : ALL) {
      if (p.labelType().name().equals(task)) return p.labelType();
    }
    throw new IllegalArgumentException("SavedModelTeacher.task must be one of "
        + ALL.stream().map(p -> "'" + p.labelType().name() + "'").collect(Collectors.joining(", "))
        + "; got '" + task + "'");
  }

  private static String names() {
    return ALL.stream().map(p -> p.labelType().name()).collect(Collectors.joining(", "));
  }
}
