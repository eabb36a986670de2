package org.mustjava.models.metrics;

import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/** Copies fetched tensors into Java arrays (row-major), for metric accumulators. */
final class TensorArrays {
  private TensorArrays() {}

  static float[] floats(Tensor t, String name) {
    if (!(t instanceof TFloat32 f)) throw new IllegalArgumentException(name + " must be float32, got " + t.dataType());
    float[] out = new float[Math.toIntExact(f.size())];
    f.asRawTensor().data().asFloats().read(out);
    return out;
  }

  /** Integer labels or predictions of any integer type. */
  static int[] ints(Tensor t, String name) {
    int n = Math.toIntExact(t.size());
    int[] out = new int[n];
    if (t instanceof TInt32 i) {
      i.asRawTensor().data().asInts().read(out);
    } else if (t instanceof TInt64 l) {
      var d = l.asRawTensor().data().asLongs();
      for (int k = 0; k < n; k++) out[k] = Math.toIntExact(d.getLong(k));
    } else if (t instanceof TUint8 u) {
      var d = u.asRawTensor().data();
      for (int k = 0; k < n; k++) out[k] = d.getByte(k) & 0xff;
    } else {
      throw new IllegalArgumentException(name + " must be an integer tensor, got " + t.dataType());
    }
    return out;
  }

  static Tensor require(java.util.Map<String, Tensor> tensors, String name, String metric) {
    Tensor t = tensors.get(name);
    if (t == null) throw new IllegalArgumentException(metric + ": tensor '" + name + "' was not fetched");
    return t;
  }

  /** Number of elements per example (dimension 0 is the batch). */
  static long perExample(Tensor t) {
    long n = 1;
    for (int i = 1; i < t.shape().numDimensions(); i++) n *= t.shape().get(i);
    return n;
  }
}
