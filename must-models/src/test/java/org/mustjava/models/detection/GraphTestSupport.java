package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Runs graph operands in tests and copies the results into Java arrays. */
final class GraphTestSupport {
  private GraphTestSupport() {}

  /** A fetched tensor: flat values and shape. */
  record Value(float[] floats, int[] ints, boolean[] bools, long[] shape) {
    float f(int... index) {
      return floats[flat(index)];
    }

    int i(int... index) {
      return ints[flat(index)];
    }

    boolean b(int... index) {
      return bools[flat(index)];
    }

    int flat(int... index) {
      int offset = 0;
      for (int d = 0; d < index.length; d++) offset = offset * (int) shape[d] + index[d];
      return offset;
    }

    int count() {
      int n = 0;
      if (bools != null) for (boolean v : bools) n += v ? 1 : 0;
      if (floats != null) for (float v : floats) n += v != 0 ? 1 : 0;
      return n;
    }
  }

  static List<Value> run(Session session, Operand<?>... operands) {
    Session.Runner runner = session.runner();
    for (Operand<?> o : operands) runner.fetch(o);
    List<Value> values = new ArrayList<>();
    try (org.tensorflow.Result result = runner.run()) {
      for (int i = 0; i < operands.length; i++) values.add(toValue(result.get(i)));
    }
    return values;
  }

  static Value run1(Session session, Operand<?> operand) {
    return run(session, operand).get(0);
  }

  static Value toValue(Tensor t) {
    long[] shape = t.shape().asArray();
    int size = (int) t.shape().size();
    if (t instanceof TFloat32 f) {
      float[] out = new float[size];
      f.copyTo(DataBuffers.of(out, false, false));
      return new Value(out, null, null, shape);
    } else if (t instanceof TInt32 n) {
      int[] out = new int[size];
      n.copyTo(DataBuffers.of(out, false, false));
      return new Value(null, out, null, shape);
    } else if (t instanceof TBool b) {
      boolean[] out = new boolean[size];
      b.copyTo(DataBuffers.of(out, false, false));
      return new Value(null, null, out, shape);
    }
    throw new IllegalArgumentException("unsupported tensor type " + t.dataType());
  }
}
