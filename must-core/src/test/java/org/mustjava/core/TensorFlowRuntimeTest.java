package org.mustjava.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The TF runtime loads and runs a graph: the precondition of every other test. */
class TensorFlowRuntimeTest {
  @Test
  void runsAGraph() {
    assertEquals("2.18.0", TensorFlow.version());
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var sum = tf.math.add(tf.constant(2f), tf.constant(3f));
      try (TFloat32 out = (TFloat32) s.runner().fetch(sum).run().get(0)) {
        assertEquals(5f, out.getFloat(), 0f);
      }
    }
  }
}
