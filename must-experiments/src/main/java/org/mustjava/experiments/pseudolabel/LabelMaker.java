package org.mustjava.experiments.pseudolabel;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Turns one teacher's outputs for one image into that task's pseudo-label on the record (the MuST
 * rules, design.md section 1):
 *
 * <ul>
 *   <li>classification: the full soft distribution, softmax(logits / T) or p^(1/T) renormalised;
 *   <li>detection: boxes scoring at least the threshold, mapped to the original image (normalised,
 *       clipped; empty boxes dropped), per-class NMS in original pixels, with their scores and
 *       classes (+ class offset);
 *   <li>segmentation: the per-pixel argmax at the original resolution, 255 where the top
 *       probability is below the confidence threshold;
 *   <li>depth: the map at the original resolution as raw float32, typed metric, relative or
 *       inverse relative;
 *   <li>normals: the unit-vector map at the original resolution as raw float32, renormalised to
 *       unit length after the (bilinear) resize; zero-length or non-finite vectors become (0, 0, 0),
 *       the records' "no label", so the student's loss skips them.
 * </ul>
 */
final class LabelMaker {
  private final Teacher teacher;
  private final SavedModelTeacher c;
  private final PixelMapResizer resizer;

  LabelMaker(Teacher teacher, PixelMapResizer resizer) {
    this.teacher = teacher;
    this.c = teacher.config();
    this.resizer = resizer;
  }

  void label(Teacher.Outputs out, int row, InputGeometry g, MultiTaskExample.Builder b, TaskStatistics st) {
    st.images++;
    switch (c.task()) {
      case CLASSIFICATION -> classification(out, row, b, st);
      case DETECTION -> detection(out, row, g, b, st);
      case SEGMENTATION -> segmentation(out, row, g, b, st);
      case DEPTH -> depth(out, row, g, b, st);
      case NORMALS -> normals(out, row, g, b, st);
    }
  }

  private void classification(Teacher.Outputs out, int row, MultiTaskExample.Builder b, TaskStatistics st) {
    boolean logits = out.has("logits");
    float[] v = floats(out.get(logits ? "logits" : "probabilities"), row);
    double t = c.temperature();
    double[] p = new double[v.length];
    if (logits) {
      double max = Double.NEGATIVE_INFINITY;
      for (float x : v) max = Math.max(max, x / t);
      for (int i = 0; i < v.length; i++) p[i] = Math.exp(v[i] / t - max);
    } else {
      double total = 0;
      for (int i = 0; i < v.length; i++) {
        if (!(v[i] >= 0f && v[i] <= 1.0001f)) throw notProbabilities(i, v[i]);
        total += v[i];
      }
      if (Math.abs(total - 1.0) > 1e-2) throw notProbabilities(-1, (float) total);
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

  private IllegalArgumentException notProbabilities(int i, float value) {
    return new IllegalArgumentException(c.description() + ": output 'probabilities' = '" + c.outputs().get("probabilities")
        + "' is not a probability distribution (" + (i < 0 ? "sums to " : "value " + i + " is ") + value
        + "); if it holds logits, name it 'logits' in SavedModelTeacher.outputs");
  }

  private void detection(Teacher.Outputs out, int row, InputGeometry g, MultiTaskExample.Builder b, TaskStatistics st) {
    float[] boxes = floats(out.get("boxes"), row);
    float[] scores = floats(out.get("scores"), row);
    float[] classes = floats(out.get("classes"), row);
    int n = scores.length;
    if (boxes.length != 4 * n || classes.length != n) {
      throw new IllegalArgumentException(c.description() + ": boxes, scores and classes disagree on the number of "
          + "detections (" + boxes.length / 4 + ", " + n + ", " + classes.length + ")");
    }
    if (out.has("count")) n = Math.min(n, Math.max(0, Math.round(floats(out.get("count"), row)[0])));
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

  private void segmentation(Teacher.Outputs out, int row, InputGeometry g, MultiTaskExample.Builder b, TaskStatistics st) {
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

  private void depth(Teacher.Outputs out, int row, InputGeometry g, MultiTaskExample.Builder b, TaskStatistics st) {
    TFloat32 maps = (TFloat32) out.get(out.has("depth") ? "depth" : "inverse_depth");
    float[] values = resizer.values(maps, row, g);
    long nonFinite = 0;
    for (float v : values) {
      if (Float.isFinite(v)) st.addDepth(v);
      else nonFinite++;
    }
    b.depth(DepthMap.rawFloat32(values, c.depthType()));
    st.pixels += values.length;
    st.nonFinitePixels += nonFinite;
  }

  private void normals(Teacher.Outputs out, int row, InputGeometry g, MultiTaskExample.Builder b, TaskStatistics st) {
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
