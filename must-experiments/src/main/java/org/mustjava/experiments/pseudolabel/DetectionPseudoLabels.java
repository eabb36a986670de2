package org.mustjava.experiments.pseudolabel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.proto.DataType;

/**
 * Detection pseudo labels: boxes scoring at least {@code score_threshold}, mapped to the original
 * image (normalised, clipped; empty boxes dropped), per-class NMS in original pixels, with their
 * scores and classes (+ {@code class_offset}). Outputs: {@code boxes} float32 [batch, detections,
 * 4], {@code scores} float32 [batch, detections], {@code classes} (any number type) [batch,
 * detections], optional {@code count} [batch]; defaults: the names of the project's {@code
 * DetectionHead} predictions.
 */
final class DetectionPseudoLabels implements PseudoLabeler {
  private static final Set<DataType> FLOAT = Set.of(DataType.DT_FLOAT);
  private static final Set<DataType> NUMBER = Set.of(DataType.DT_FLOAT, DataType.DT_INT32, DataType.DT_INT64);

  @Override
  public LabelType labelType() {
    return LabelTypes.DETECTION;
  }

  @Override
  public Map<String, String> defaultOutputs() {
    return defaults();
  }

  @Override
  public List<Set<String>> requiredOutputs() {
    return List.of(Set.of("boxes", "scores", "classes"));
  }

  @Override
  public Set<String> optionalOutputs() {
    return Set.of("count");
  }

  @Override
  public OutputSpec outputSpec(String meaning) {
    return switch (meaning) {
      case "boxes" -> new OutputSpec(FLOAT, Set.of(3), 4, "float32 [batch, detections, 4]");
      case "scores" -> new OutputSpec(FLOAT, Set.of(2), -1, "float32 [batch, detections]");
      case "classes" -> new OutputSpec(NUMBER, Set.of(2), -1, "float32/int32/int64 [batch, detections]");
      case "count" -> new OutputSpec(NUMBER, Set.of(1), -1, "float32/int32/int64 [batch]");
      default -> throw new IllegalArgumentException("no detection output meaning '" + meaning + "'");
    };
  }

  @Override
  public void initStatistics(TaskStatistics s) {
    s.boxes = 0L;
    s.imagesWithoutBoxes = 0L;
  }

  private static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("boxes", "detection_boxes_normalized");
    m.put("scores", "detection_scores");
    m.put("classes", "detection_classes");
    m.put("count", "num_detections");
    return m;
  }

  @Override
  public void label(Teacher teacher, PixelMapResizer resizer, Teacher.Outputs out, int row, InputGeometry g,
      MultiTaskExample.Builder b, TaskStatistics st) {
    SavedModelTeacher c = teacher.config();
    float[] boxes = PseudoLabeler.floats(out.get("boxes"), row);
    float[] scores = PseudoLabeler.floats(out.get("scores"), row);
    float[] classes = PseudoLabeler.floats(out.get("classes"), row);
    int n = scores.length;
    if (boxes.length != 4 * n || classes.length != n) {
      throw new IllegalArgumentException(c.description() + ": boxes, scores and classes disagree on the number of "
          + "detections (" + boxes.length / 4 + ", " + n + ", " + classes.length + ")");
    }
    if (out.has("count")) n = Math.min(n, Math.max(0, Math.round(PseudoLabeler.floats(out.get("count"), row)[0])));
    List<PerClassNms.Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!(scores[i] >= c.scoreThreshold())) continue;
      float[] input = c.boxFormat().toNormalizedYxyx(boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3],
          teacher.inputSize());
      float[] box = g.toOriginalNormalized(input);
      if (!(box[2] > box[0] && box[3] > box[1])) continue; // empty, e.g. wholly in the padding
      int cls = Math.round(classes[i]) + c.classOffset();
      if (cls < 0) {
        throw new IllegalArgumentException(c.description() + ": detection class " + Math.round(classes[i])
            + " + class_offset " + c.classOffset() + " is negative");
      }
      float[] pixels = {box[0] * g.height(), box[1] * g.width(), box[2] * g.height(), box[3] * g.width()};
      candidates.add(new PerClassNms.Candidate(pixels, cls, scores[i], i));
    }
    List<PerClassNms.Candidate> kept = PerClassNms.apply(candidates, c.nmsIouThreshold(), c.maxBoxes());
    float[][] outBoxes = new float[kept.size()][];
    int[] outClasses = new int[kept.size()];
    float[] outScores = new float[kept.size()];
    for (int k = 0; k < kept.size(); k++) {
      PerClassNms.Candidate d = kept.get(k);
      int i = d.index();
      outBoxes[k] = g.toOriginalNormalized(c.boxFormat().toNormalizedYxyx(
          boxes[4 * i], boxes[4 * i + 1], boxes[4 * i + 2], boxes[4 * i + 3], teacher.inputSize()));
      outClasses[k] = d.cls();
      outScores[k] = d.score();
      st.count(d.cls(), 1);
    }
    b.boxes(ObjectBoxes.withScores(outBoxes, outClasses, outScores));
    st.boxes += kept.size();
    if (kept.isEmpty()) st.imagesWithoutBoxes++;
  }
}
