package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class GradientClippingTest {
  @Test
  void scalesOnlyAboveTheBound() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Operand<TFloat32>> grads = List.of(tf.constant(new float[] {3f, 0f}), tf.constant(new float[][] {{0f, 4f}}));
      Operand<TFloat32> norm = GradientClipping.globalNorm(tf, grads); // 5
      List<Operand<TFloat32>> clipped = GradientClipping.clipByGlobalNorm(tf, grads, norm, 1.0);
      List<Operand<TFloat32>> untouched = GradientClipping.clipByGlobalNorm(tf, grads, norm, 10.0);
      try (Result r = s.runner().fetch(norm).fetch(clipped.get(0)).fetch(clipped.get(1)).fetch(untouched.get(0)).run()) {
        assertEquals(5f, ((TFloat32) r.get(0)).getFloat(), 1e-6);
        assertEquals(0.6f, ((TFloat32) r.get(1)).getFloat(0), 1e-6);
        assertEquals(0.8f, ((TFloat32) r.get(2)).getFloat(0, 1), 1e-6);
        assertEquals(3f, ((TFloat32) r.get(3)).getFloat(0), 1e-6);
      }
    }
  }
}
