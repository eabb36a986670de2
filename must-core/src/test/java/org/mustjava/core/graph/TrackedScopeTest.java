package org.mustjava.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class TrackedScopeTest {

  /** The same building calls through TF's scope and through a TrackedScope give the same op names. */
  @Test
  void namesEqualThoseOfTensorFlowsOwnScope() {
    assertEquals(opNames(Ops::create), opNames(TrackedScope::ops));
  }

  private static List<String> opNames(Function<Graph, Ops> root) {
    try (Graph g = new Graph()) {
      Ops tf = root.apply(g);
      tf.constant(1f);
      tf.constant(2f);
      Ops a = tf.withSubScope("a");
      a.constant(3f);
      a.withName("x").constant(4f);
      a.withName("x").constant(5f);
      Ops b = a.withSubScope("b");
      b.math.add(b.constant(1f), b.constant(2f));
      a.withSubScope("b").constant(6f);   // a/b_1
      tf.withSubScope("a").constant(7f);  // a_1
      a.constant(8f);                     // a/Const_1: a's counters go on
      List<String> names = new ArrayList<>();
      g.operations().forEachRemaining(op -> names.add(op.name()));
      return names;
    }
  }

  @Test
  void opsMadeByOtherRoutesAreSkippedNotClashed() {
    try (Graph g = new Graph()) {
      // TF's base scope and an explicit name take names first.
      Ops plain = Ops.create(g);
      plain.constant(1f);
      Ops s = plain.withSubScope("s");
      s.constant(1f); // s/Const
      g.opBuilder("Const", "s2/Const", g.baseScope())
          .setAttr("dtype", org.tensorflow.proto.DataType.DT_FLOAT)
          .setAttr("value", org.tensorflow.Tensor.of(TFloat32.class, Shape.scalar()))
          .build();

      Ops tracked = TrackedScope.ops(g);
      assertEquals("Const_1", tracked.constant(2f).op().name());
      assertEquals("s_1", ((TrackedScope) tracked.withSubScope("s").scope()).path());
      // "s2" is free at the root's level but s2/Const exists in the graph: the next name is used.
      assertEquals("s2/Const_1", tracked.withSubScope("s2").constant(3f).op().name());
      // And TF's base scope goes on after the names the tracked root took.
      assertEquals("Const_2", plain.constant(4f).op().name());
    }
  }

  @Test
  void subScopesAreTrackedScopes() {
    try (Graph g = new Graph()) {
      Ops tf = TrackedScope.ops(g).withSubScope("a").withSubScope("b");
      TrackedScope scope = assertInstanceOf(TrackedScope.class, tf.scope());
      assertEquals("a/b", scope.path());
      assertEquals("a/b/Const", tf.constant(1f).op().name());
    }
  }

  @Test
  void deviceAndControlDependenciesApply() {
    try (Graph g = new Graph()) {
      Ops tf = TrackedScope.ops(g);
      Op first = tf.noOp();
      Ops placed = tf.withDevice(GraphContext.parseDevice("/device:CPU:0"))
          .withControlDependencies(List.of(first));
      GraphOperation op = (GraphOperation) placed.constant(1f).op();
      assertTrue(op.device().contains("CPU:0"), op.device());
      assertEquals(1, op.numControlInputs());
      assertEquals(first.op().name(), op.controlInputs().iterator().next().name());
    }
  }

  @Test
  void initScopeRegistersInitialisers() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = TrackedScope.ops(g);
      Ops init = tf.withInitScope();
      Variable<TFloat32> v = init.withName("v").variable(Shape.scalar(), TFloat32.class);
      init.assign(v, init.constant(3f));
      assertTrue(g.isInitializer(v.op()));
      s.initialize();
      try (TFloat32 value = (TFloat32) s.runner().fetch(tf.identity(v)).run().get(0)) {
        assertEquals(3f, value.getFloat());
      }
      // An init scope may not depend on a non-init op.
      Op plain = tf.noOp();
      assertThrows(IllegalArgumentException.class, () -> init.withControlDependencies(List.of(plain)));
    }
  }

  @Test
  void invalidNamesAreRejected() {
    try (Graph g = new Graph()) {
      Ops tf = TrackedScope.ops(g);
      assertThrows(IllegalArgumentException.class, () -> tf.withSubScope("a/b"));
      assertThrows(IllegalArgumentException.class, () -> tf.withSubScope("_a"));
      assertNotEquals(null, tf.withSubScope("a.b-c"));
    }
  }
}
