package org.mustjava.experiments.pseudolabel;

import org.mustjava.data.example.MultiTaskExample;

/**
 * One teacher's label maker: its outputs for one image become its label type's pseudo label on the
 * record, by that type's {@link PseudoLabeler} (the rules are there).
 */
final class LabelMaker {
  private final Teacher teacher;
  private final PseudoLabeler labeler;
  private final PixelMapResizer resizer;

  LabelMaker(Teacher teacher, PixelMapResizer resizer) {
    this.teacher = teacher;
    this.labeler = PseudoLabelers.of(teacher.task());
    this.resizer = resizer;
  }

  void label(Teacher.Outputs out, int row, InputGeometry g, MultiTaskExample.Builder b, TaskStatistics st) {
    st.images++;
    labeler.label(teacher, resizer, out, row, g, b, st);
  }
}
