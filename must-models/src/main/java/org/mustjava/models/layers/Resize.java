package org.mustjava.models.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Spatial resizing of NHWC tensors to the (possibly dynamic) size of another tensor, which keeps
 * graphs input-size agnostic: odd sizes (e.g. 65 px) resize to the exact neighbour size.
 */
public final class Resize {
  private Resize() {}

  /** [height, width] of an NHWC tensor, as an int32 vector (static when the shape is known). */
  public static Operand<TInt32> spatialSize(Ops tf, Operand<?> x) {
    var s = x.shape();
    if (!s.isUnknown() && s.numDimensions() == 4 && s.get(1) > 0 && s.get(2) > 0) {
      return tf.constant(new int[] {(int) s.get(1), (int) s.get(2)});
    }
    if (!s.isUnknown() && s.numDimensions() == 3 && s.get(1) > 0 && s.get(2) > 0) {
      return tf.constant(new int[] {(int) s.get(1), (int) s.get(2)});
    }
    return tf.slice(tf.shape(x), tf.constant(new int[] {1}), tf.constant(new int[] {2}));
  }

  /** Nearest-neighbour resize (half-pixel centres off: the classic FPN x2 upsampling). */
  public static Operand<TFloat32> nearest(Ops tf, Operand<TFloat32> x, Operand<TInt32> size) {
    return tf.image.resizeNearestNeighbor(x, size);
  }

  /** Bilinear resize with half-pixel centres (aligned with TF2's tf.image.resize). */
  public static Operand<TFloat32> bilinear(Ops tf, Operand<TFloat32> x, Operand<TInt32> size) {
    return tf.image.resizeBilinear(x, size, ResizeBilinear.halfPixelCenters(true));
  }

  /** Nearest-neighbour resize of {@code x} to the spatial size of {@code like}. */
  public static Operand<TFloat32> nearestLike(Ops tf, Operand<TFloat32> x, Operand<?> like) {
    return nearest(tf, x, spatialSize(tf, like));
  }

  /** Bilinear resize of {@code x} to the spatial size of {@code like}. */
  public static Operand<TFloat32> bilinearLike(Ops tf, Operand<TFloat32> x, Operand<?> like) {
    return bilinear(tf, x, spatialSize(tf, like));
  }

}
