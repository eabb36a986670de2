package org.mustjava.experiments.pseudolabel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Segmentation pseudo labels: the per-pixel argmax at the original resolution, 255 (ignore) where
 * the top probability is below {@code confidence_threshold}. Outputs: {@code logits} or {@code
 * probabilities}, float32 [batch, height, width, classes].
 */
final class SegmentationPseudoLabels implements PseudoLabeler {
  private static final Set<DataType> FLOAT = Set.of(DataType.DT_FLOAT);

  @Override
  public LabelType labelType() {
    return LabelTypes.SEGMENTATION;
  }

  @Override
  public Map<String, String> defaultOutputs() {
    return Map.of("logits", "logits");
  }

  @Override
  public List<Set<String>> requiredOutputs() {
    return List.of(Set.of("logits"), Set.of("probabilities"));
  }

  @Override
  public OutputSpec outputSpec(String meaning) {
    return new OutputSpec(FLOAT, Set.of(4), -1, "float32 [batch, height, width, classes]");
  }

  @Override
  public void initStatistics(TaskStatistics s) {
    s.pixels = 0L;
    s.ignoredPixels = 0L;
  }

  @Override
  public void label(Teacher teacher, PixelMapResizer resizer, Teacher.Outputs out, int row, InputGeometry g,
      MultiTaskExample.Builder b, TaskStatistics st) {
    SavedModelTeacher c = teacher.config();
    boolean logits = out.has("logits");
    TFloat32 maps = (TFloat32) out.get(logits ? "logits" : "probabilities");
    long numClasses = maps.shape().size(3);
    if (numClasses > FeatureKeys.SEGMENTATION_IGNORE) {
      throw new IllegalArgumentException(c.description() + ": " + numClasses + " segmentation classes do not fit an 8-bit "
          + "label with 255 = ignore (at most 255)");
    }
    int n = g.height() * g.width();
    int[] classes = new int[n];
    float[] confidence = new float[n];
    resizer.classes(maps, row, g, logits, classes, confidence);
    byte[] label = new byte[n];
    long ignored = 0;
    long[] hist = new long[(int) numClasses];
    for (int i = 0; i < n; i++) {
      if (confidence[i] >= c.confidenceThreshold()) {
        label[i] = (byte) classes[i];
        hist[classes[i]]++;
      } else {
        label[i] = (byte) FeatureKeys.SEGMENTATION_IGNORE;
        ignored++;
      }
    }
    b.segmentation(label);
    for (int k = 0; k < hist.length; k++) if (hist[k] > 0) st.count(k, hist[k]);
    st.pixels += n;
    st.ignoredPixels += ignored;
  }
}
