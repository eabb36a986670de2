package org.mustjava.experiments.pseudolabel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.labels.LabelType;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * How a teacher makes the pseudo labels of one label type (the MuST rules, design.md section 1):
 * what its outputs may mean (the keys of {@link SavedModelTeacher}'s {@code outputs}) and their
 * layout, the output names of the project's own exports (the defaults), the label statistics that
 * apply, and the label a teacher's outputs for one image become on the record. One implementation
 * per label type, found through {@link PseudoLabelers}.
 */
interface PseudoLabeler {
  LabelType labelType();

  /** Meaning -> tensor name in the project's own export of this label type's head. */
  Map<String, String> defaultOutputs();

  /** The allowed sets of required output meanings (one of them must be given). */
  List<Set<String>> requiredOutputs();

  /** Output meanings that may be given besides the required ones. */
  default Set<String> optionalOutputs() {
    return Set.of();
  }

  /** The layout an output of {@code meaning} must have. */
  OutputSpec outputSpec(String meaning);

  /** Sets the {@link TaskStatistics} fields that apply to this label type (the others stay null). */
  void initStatistics(TaskStatistics s);

  /**
   * Makes image {@code row}'s label from the teacher's outputs and sets it on {@code b}.
   *
   * @param g how the image was resized for the teacher (to map predictions back to the original)
   */
  void label(Teacher teacher, PixelMapResizer resizer, Teacher.Outputs out, int row, InputGeometry g,
      MultiTaskExample.Builder b, TaskStatistics st);

  /**
   * Checks that {@code outputs} names one allowed combination of meanings; the error says which
   * meanings this label type takes.
   */
  default void validateOutputs(Map<String, String> outputs) {
    for (Set<String> required : requiredOutputs()) {
      if (outputs.keySet().containsAll(required)) {
        Set<String> extra = new TreeSet<>(outputs.keySet());
        extra.removeAll(required);
        extra.removeAll(optionalOutputs());
        if (extra.isEmpty()) return;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (Set<String> r : requiredOutputs()) {
      if (allowed.length() > 0) allowed.append(" or ");
      allowed.append(new TreeSet<>(r));
    }
    throw new IllegalArgumentException("SavedModelTeacher.outputs for task '" + labelType().name() + "' must name "
        + allowed + (optionalOutputs().isEmpty() ? "" : " (optionally " + optionalOutputs() + ")") + "; got "
        + outputs.keySet());
  }

  /** Row {@code row} of a float32, int32 or int64 tensor, as floats. */
  static float[] floats(Tensor t, int row) {
    if (t instanceof TFloat32 f) {
      var r = f.get(row);
      float[] out = new float[(int) r.size()];
      r.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
    if (t instanceof TInt32 i) {
      var r = i.get(row);
      int[] v = new int[(int) r.size()];
      r.copyTo(DataBuffers.of(v, false, false));
      float[] out = new float[v.length];
      for (int k = 0; k < v.length; k++) out[k] = v[k];
      return out;
    }
    var r = ((TInt64) t).get(row);
    long[] v = new long[(int) r.size()];
    r.copyTo(DataBuffers.of(v, false, false));
    float[] out = new float[v.length];
    for (int k = 0; k < v.length; k++) out[k] = v[k];
    return out;
  }
}
