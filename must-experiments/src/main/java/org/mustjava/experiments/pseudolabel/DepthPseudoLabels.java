package org.mustjava.experiments.pseudolabel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Depth pseudo labels: the map at the original resolution as raw float32, typed metric, relative or
 * inverse relative ({@code depth_type}). Outputs: {@code depth} or {@code inverse_depth}, float32
 * [batch, height, width] or [..., 1].
 */
final class DepthPseudoLabels implements PseudoLabeler {
  private static final Set<DataType> FLOAT = Set.of(DataType.DT_FLOAT);

  @Override
  public LabelType labelType() {
    return LabelTypes.DEPTH;
  }

  @Override
  public Map<String, String> defaultOutputs() {
    return Map.of("depth", "depth");
  }

  @Override
  public List<Set<String>> requiredOutputs() {
    return List.of(Set.of("depth"), Set.of("inverse_depth"));
  }

  @Override
  public OutputSpec outputSpec(String meaning) {
    return new OutputSpec(FLOAT, Set.of(3, 4), -1, "float32 [batch, height, width] or [batch, height, width, 1]");
  }

  @Override
  public void initStatistics(TaskStatistics s) {
    s.classHistogram = null;
    s.pixels = 0L;
    s.nonFinitePixels = 0L;
    s.sum = 0.0;
  }

  @Override
  public void label(Teacher teacher, PixelMapResizer resizer, Teacher.Outputs out, int row, InputGeometry g,
      MultiTaskExample.Builder b, TaskStatistics st) {
    TFloat32 maps = (TFloat32) out.get(out.has("depth") ? "depth" : "inverse_depth");
    float[] values = resizer.values(maps, row, g);
    long nonFinite = 0;
    for (float v : values) {
      if (Float.isFinite(v)) st.addDepth(v);
      else nonFinite++;
    }
    b.depth(DepthMap.rawFloat32(values, teacher.config().depthType()));
    st.pixels += values.length;
    st.nonFinitePixels += nonFinite;
  }
}
