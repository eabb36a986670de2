package org.mustjava.experiments.pseudolabel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Surface-normal pseudo labels: the unit-vector map at the original resolution as raw float32,
 * renormalised to unit length after the (bilinear) resize; zero-length or non-finite vectors become
 * (0, 0, 0), the records' "no label", so the student's loss skips them. Output: {@code normals},
 * float32 [batch, height, width, 3], in the frame of the records' {@code image/normals/encoded}
 * (what the project's {@code NormalsHead} predicts).
 */
final class NormalsPseudoLabels implements PseudoLabeler {
  private static final Set<DataType> FLOAT = Set.of(DataType.DT_FLOAT);

  @Override
  public LabelType labelType() {
    return LabelTypes.NORMALS;
  }

  @Override
  public Map<String, String> defaultOutputs() {
    return Map.of("normals", "normals");
  }

  @Override
  public List<Set<String>> requiredOutputs() {
    return List.of(Set.of("normals"));
  }

  @Override
  public OutputSpec outputSpec(String meaning) {
    return new OutputSpec(FLOAT, Set.of(4), 3, "float32 [batch, height, width, 3]");
  }

  @Override
  public void initStatistics(TaskStatistics s) {
    // ignoredPixels: written as (0, 0, 0), "no label" (zero-length or non-finite predictions).
    s.classHistogram = null;
    s.pixels = 0L;
    s.ignoredPixels = 0L;
  }

  @Override
  public void label(Teacher teacher, PixelMapResizer resizer, Teacher.Outputs out, int row, InputGeometry g,
      MultiTaskExample.Builder b, TaskStatistics st) {
    float[] v = resizer.values((TFloat32) out.get("normals"), row, g);
    long ignored = 0;
    for (int i = 0; i < v.length; i += 3) {
      double norm = Math.sqrt((double) v[i] * v[i] + (double) v[i + 1] * v[i + 1] + (double) v[i + 2] * v[i + 2]);
      if (Double.isFinite(norm) && norm > 1e-6) {
        for (int k = 0; k < 3; k++) v[i + k] = (float) (v[i + k] / norm);
      } else {
        v[i] = v[i + 1] = v[i + 2] = 0f;
        ignored++;
      }
    }
    b.normals(v);
    st.pixels += v.length / 3;
    st.ignoredPixels += ignored;
  }
}
