package org.mustjava.core.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class GraphContextTest {

  @Test
  void variablesHaveHierarchicalNamesAndAreShared() {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 7);
      GraphContext conv = root.scope("backbone").scope("stage2").scope("conv1");
      conv.variable("kernel", Shape.of(3, 3, 4, 8), Initializers.heNormal(), true, true);
      conv.variable("bias", Shape.of(8), Initializers.zeros(), true, false);
      // Same name again (e.g. an eval tower): same variable, no new op.
      ModelVariable again =
          conv.withTraining(false).getOrCreate("kernel", Shape.of(3, 3, 4, 8), Initializers.heNormal(), true, true);
      assertEquals("backbone/stage2/conv1/kernel", again.name());
      assertEquals("backbone/stage2/conv1/kernel", again.variable().op().name());
      assertNotNull(g.operation("backbone/stage2/conv1/kernel"));
      assertEquals(2, root.variables().size());
      assertEquals(List.of("backbone/stage2/conv1/kernel"),
          root.weightDecayVariables().stream().map(ModelVariable::name).toList());
      assertEquals(3 * 3 * 4 * 8 + 8, root.parameterCount("backbone/", false));
      assertSame(again.variable(), root.variables().get(0).variable());
    }
  }

  @Test
  void reuseWithAnotherShapeFails() {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 7);
      root.variable("w", Shape.of(2), Initializers.zeros(), true, false);
      var e = assertThrows(IllegalStateException.class,
          () -> root.variable("w", Shape.of(3), Initializers.zeros(), true, false));
      assertTrue(e.getMessage().contains("w exists as [2]"), e.getMessage());
    }
  }

  @Test
  void initialValuesDependOnSeedAndNameNotOnCreationOrder() {
    float[] a = initialValue(1, List.of("a", "b"), "b");
    float[] b = initialValue(1, List.of("b", "a"), "b");
    float[] c = initialValue(2, List.of("a", "b"), "b");
    assertArrayEquals(a, b);
    assertTrue(a[0] != c[0]);
  }

  @Test
  void gradientsFlowThroughReadValues() {
    // Square of a variable read: the pattern that crashes addGradients on a raw ref variable.
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      Operand<TFloat32> w = ctx.variable("w", Shape.of(2), Initializers.constant(3f), true, false);
      var tf = ctx.tf();
      var loss = tf.reduceSum(tf.math.square(w), tf.constant(0));
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {w.asOutput()});
      s.initialize();
      try (TFloat32 grad = (TFloat32) s.runner().fetch(grads[0]).run().get(0)) {
        assertEquals(6f, grad.getFloat(0), 0f);
      }
    }
  }

  @Test
  void parsesDeviceSpecs() {
    var d = GraphContext.parseDevice("/job:worker/task:1/device:GPU:0");
    assertEquals("worker", d.job());
    assertEquals(1, d.task());
    assertEquals(0, d.deviceIndex());
    assertEquals("CPU", GraphContext.parseDevice("/device:CPU:1").deviceType().name());
    assertThrows(IllegalArgumentException.class, () -> GraphContext.parseDevice("/gadget:3"));
  }

  private static float[] initialValue(long seed, List<String> order, String fetch) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, seed);
      Operand<TFloat32> wanted = null;
      for (String name : order) {
        var v = ctx.variable(name, Shape.of(4), Initializers.heNormal(), true, true);
        if (name.equals(fetch)) wanted = v;
      }
      s.initialize();
      try (TFloat32 t = (TFloat32) s.runner().fetch(wanted).run().get(0)) {
        float[] out = new float[4];
        for (int i = 0; i < 4; i++) out[i] = t.getFloat(i);
        return out;
      }
    }
  }
}
