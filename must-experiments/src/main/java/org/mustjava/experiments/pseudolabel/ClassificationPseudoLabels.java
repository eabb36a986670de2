package org.mustjava.experiments.pseudolabel;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.proto.DataType;

/**
 * Classification pseudo labels: the full soft distribution, softmax(logits / T) or p^(1/T)
 * renormalised ({@code SavedModelTeacher.temperature}). Outputs: {@code logits} or {@code
 * probabilities}, float32 [batch, classes].
 */
final class ClassificationPseudoLabels implements PseudoLabeler {
  private static final Set<DataType> FLOAT = Set.of(DataType.DT_FLOAT);

  @Override
  public LabelType labelType() {
    return LabelTypes.CLASSIFICATION;
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
    return new OutputSpec(FLOAT, Set.of(2), -1, "float32 [batch, classes]");
  }

  @Override
  public void initStatistics(TaskStatistics s) {
    s.sumTopProbability = 0.0;
  }

  @Override
  public void label(Teacher teacher, PixelMapResizer resizer, Teacher.Outputs out, int row, InputGeometry g,
      MultiTaskExample.Builder b, TaskStatistics st) {
    SavedModelTeacher c = teacher.config();
    boolean logits = out.has("logits");
    float[] v = PseudoLabeler.floats(out.get(logits ? "logits" : "probabilities"), row);
    double t = c.temperature();
    double[] p = new double[v.length];
    if (logits) {
      double max = Double.NEGATIVE_INFINITY;
      for (float x : v) max = Math.max(max, x / t);
      for (int i = 0; i < v.length; i++) p[i] = Math.exp(v[i] / t - max);
    } else {
      double total = 0;
      for (int i = 0; i < v.length; i++) {
        if (!(v[i] >= 0f && v[i] <= 1.0001f)) throw notProbabilities(c, i, v[i]);
        total += v[i];
      }
      if (Math.abs(total - 1.0) > 1e-2) throw notProbabilities(c, -1, (float) total);
      for (int i = 0; i < v.length; i++) p[i] = t == 1.0 ? v[i] : Math.pow(v[i], 1.0 / t);
    }
    double total = 0;
    for (double x : p) total += x;
    float[] probs = new float[p.length];
    int best = 0;
    for (int i = 0; i < p.length; i++) {
      probs[i] = logits || t != 1.0 ? (float) (p[i] / total) : v[i];
      if (probs[i] > probs[best]) best = i;
    }
    b.classProbabilities(probs);
    st.count(best, 1);
    st.sumTopProbability += probs[best];
  }

  private static IllegalArgumentException notProbabilities(SavedModelTeacher c, int i, float value) {
    return new IllegalArgumentException(c.description() + ": output 'probabilities' = '" + c.outputs().get("probabilities")
        + "' is not a probability distribution (" + (i < 0 ? "sums to " : "value " + i + " is ") + value
        + "); if it holds logits, name it 'logits' in SavedModelTeacher.outputs");
  }
}
