package org.mustjava.models.detection;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Faster R-CNN box coding: a box relative to a reference box (anchor or proposal) as
 * {@code (wy * dy / h_ref, wx * dx / w_ref, wh * log(h / h_ref), ww * log(w / w_ref))}, where dy,
 * dx are the centre offsets. The standard weights are (10, 10, 5, 5) for the second stage
 * (Detectron, Model Garden) and (1, 1, 1, 1) for the RPN (Detectron).
 *
 * <p>Decoding clamps the log-size deltas at {@code log(1000 / 16)} (Detectron's
 * {@code BBOX_XFORM_CLIP}) so an untrained network cannot produce infinite boxes.
 */
public final class BoxCoder {
  /** Detectron's clamp on decoded log-size deltas. */
  public static final double DEFAULT_SCALE_CLIP = Math.log(1000.0 / 16.0);
  /** Smallest height/width used in logs and divisions, so empty (padding) boxes encode to finite values. */
  private static final float EPSILON = 1e-6f;

  private final float[] weights;
  private final float scaleClip;

  public BoxCoder(List<? extends Number> weights) {
    this(toArray(weights), (float) DEFAULT_SCALE_CLIP);
  }

  public BoxCoder(float[] weights, float scaleClip) {
    if (weights.length != 4) {
      throw new IllegalArgumentException("box coder weights must have 4 entries (wy, wx, wh, ww), got " + weights.length);
    }
    for (float w : weights) {
      if (!(w > 0)) throw new IllegalArgumentException("box coder weights must be positive: " + java.util.Arrays.toString(weights));
    }
    this.weights = weights.clone();
    this.scaleClip = scaleClip;
  }

  public float[] weights() {
    return weights.clone();
  }

  /** Encodes {@code boxes} relative to {@code reference} (same shape {@code [..., 4]}). */
  public Operand<TFloat32> encode(Ops tf, Operand<TFloat32> boxes, Operand<TFloat32> reference) {
    Center b = Center.of(tf, boxes);
    Center r = Center.of(tf, reference);
    Operand<TFloat32> dy = tf.math.mul(tf.constant(weights[0]), tf.math.div(tf.math.sub(b.cy, r.cy), r.h));
    Operand<TFloat32> dx = tf.math.mul(tf.constant(weights[1]), tf.math.div(tf.math.sub(b.cx, r.cx), r.w));
    Operand<TFloat32> dh = tf.math.mul(tf.constant(weights[2]), tf.math.log(tf.math.div(b.h, r.h)));
    Operand<TFloat32> dw = tf.math.mul(tf.constant(weights[3]), tf.math.log(tf.math.div(b.w, r.w)));
    return Boxes.fromCoordinates(tf, dy, dx, dh, dw);
  }

  /** Decodes {@code deltas} relative to {@code reference} (same shape {@code [..., 4]}). */
  public Operand<TFloat32> decode(Ops tf, Operand<TFloat32> deltas, Operand<TFloat32> reference) {
    Center r = Center.of(tf, reference);
    List<Operand<TFloat32>> d = Boxes.coordinates(tf, deltas);
    Operand<TFloat32> clip = tf.constant(scaleClip);
    Operand<TFloat32> dy = tf.math.div(d.get(0), tf.constant(weights[0]));
    Operand<TFloat32> dx = tf.math.div(d.get(1), tf.constant(weights[1]));
    Operand<TFloat32> dh = tf.math.minimum(tf.math.div(d.get(2), tf.constant(weights[2])), clip);
    Operand<TFloat32> dw = tf.math.minimum(tf.math.div(d.get(3), tf.constant(weights[3])), clip);
    Operand<TFloat32> cy = tf.math.add(tf.math.mul(dy, r.h), r.cy);
    Operand<TFloat32> cx = tf.math.add(tf.math.mul(dx, r.w), r.cx);
    Operand<TFloat32> halfH = tf.math.mul(tf.math.mul(tf.math.exp(dh), r.h), tf.constant(0.5f));
    Operand<TFloat32> halfW = tf.math.mul(tf.math.mul(tf.math.exp(dw), r.w), tf.constant(0.5f));
    return Boxes.fromCoordinates(
        tf, tf.math.sub(cy, halfH), tf.math.sub(cx, halfW), tf.math.add(cy, halfH), tf.math.add(cx, halfW));
  }

  /** Centre and size of boxes; sizes are floored at a tiny epsilon. */
  private record Center(Operand<TFloat32> cy, Operand<TFloat32> cx, Operand<TFloat32> h, Operand<TFloat32> w) {
    static Center of(Ops tf, Operand<TFloat32> boxes) {
      List<Operand<TFloat32>> c = Boxes.coordinates(tf, boxes);
      Operand<TFloat32> eps = tf.constant(EPSILON);
      Operand<TFloat32> h = tf.math.maximum(tf.math.sub(c.get(2), c.get(0)), eps);
      Operand<TFloat32> w = tf.math.maximum(tf.math.sub(c.get(3), c.get(1)), eps);
      Operand<TFloat32> half = tf.constant(0.5f);
      return new Center(
          tf.math.mul(tf.math.add(c.get(0), c.get(2)), half),
          tf.math.mul(tf.math.add(c.get(1), c.get(3)), half),
          h,
          w);
    }
  }

  private static float[] toArray(List<? extends Number> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) out[i] = values.get(i).floatValue();
    return out;
  }
}
