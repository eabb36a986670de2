package org.mustjava.experiments.pseudolabel;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Hand-built SavedModel teachers whose outputs are simple, known functions of their input, so tests
 * can compute the expected pseudo-labels independently. Every model takes {@code image} float32
 * [-1, S, S, 3] (normalised) in a signature named {@code serving_default} unless told otherwise.
 */
final class TestTeachers {
  private TestTeachers() {}

  interface Body {
    Map<String, Operand<?>> outputs(Ops tf, Operand<TFloat32> image);
  }

  static Path export(Path dir, int size, String signatureKey, Body body) {
    return export(dir, -1, size, signatureKey, body);
  }

  /** @param batch the input's static batch size, -1 for any */
  static Path export(Path dir, int batch, int size, String signatureKey, Body body) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class, Placeholder.shape(Shape.of(batch, size, size, 3)));
      Map<String, Operand<?>> outs = body.outputs(tf, image);
      Signature.Builder b = Signature.builder().key(signatureKey).input("image", image);
      outs.forEach(b::output);
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(dir.toString()).withTags("serve").withSession(s).withSignatures(b.build()).export();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return dir;
  }

  /** logits [B, C] = mean over pixels of the image [B, 3] times {@code w} [3, C]. */
  static Path classification(Path dir, int size, float[][] w) {
    return export(dir, size, "serving_default", (tf, image) -> {
      Operand<TFloat32> mean = tf.math.mean(image, tf.constant(new int[] {1, 2}));
      return Map.of("logits", tf.linalg.matMul(mean, tf.constant(w)));
    });
  }

  /**
   * The same detections for every image: {@code boxes} [N, 4] in the given layout, scores [N],
   * classes [N] (float32, as the TF Object Detection API gives them), count = N.
   */
  static Path detection(Path dir, int size, float[][] boxes, float[] scores, float[] classes) {
    return detection(dir, -1, size, boxes, scores, classes);
  }

  static Path detection(Path dir, int staticBatch, int size, float[][] boxes, float[] scores, float[] classes) {
    return export(dir, staticBatch, size, "serving_default", (tf, image) -> {
      Operand<TInt32> batch = tf.slice(tf.shape(image), tf.constant(new int[] {0}), tf.constant(new int[] {1}));
      Operand<TFloat32> b = tf.tile(tf.expandDims(tf.constant(boxes), tf.constant(0)),
          tf.concat(List.of(batch, tf.constant(new int[] {1, 1})), tf.constant(0)));
      Operand<TFloat32> s = tf.tile(tf.expandDims(tf.constant(scores), tf.constant(0)),
          tf.concat(List.of(batch, tf.constant(new int[] {1})), tf.constant(0)));
      Operand<TFloat32> c = tf.tile(tf.expandDims(tf.constant(classes), tf.constant(0)),
          tf.concat(List.of(batch, tf.constant(new int[] {1})), tf.constant(0)));
      Operand<TInt32> count = tf.fill(batch, tf.constant(scores.length));
      return Map.of("detection_boxes", b, "detection_scores", s, "detection_classes", c, "num_detections", count);
    });
  }

  /** logits [B, S, S, 3] = k * image: the class of a pixel is its strongest normalised channel. */
  static Path segmentation(Path dir, int size, float k) {
    return export(dir, size, "serving_default", (tf, image) -> Map.of("seg_logits", tf.math.mul(image, tf.constant(k))));
  }

  /** inverse depth [B, S, S] = exp(red channel of the normalised image). */
  static Path inverseDepth(Path dir, int size) {
    return export(dir, size, "serving_default", (tf, image) -> Map.of("disparity",
        tf.math.exp(tf.squeeze(tf.slice(image, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1, -1, 1})),
            org.tensorflow.op.core.Squeeze.axis(List.of(3L))))));
  }
}
