package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The gradient-path walk and the "no gradient" check against what {@code addGradients} does. */
class GradientPathsTest {
  @Test
  void onlyDifferentiablePathsCount() {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      Ops tf = ctx.tf();
      Operand<TFloat32> direct = ctx.variable("direct", Shape.of(3), Initializers.ones(), true, false);
      Operand<TFloat32> stopped = ctx.variable("stopped", Shape.of(3), Initializers.ones(), true, false);
      Operand<TFloat32> sized = ctx.variable("sized", Shape.of(3), Initializers.ones(), true, false);
      Operand<TFloat32> control = ctx.variable("control", Shape.of(3), Initializers.ones(), true, false);
      ctx.variable("unread", Shape.of(3), Initializers.ones(), true, false);
      Operand<TFloat32> sum = tf.withControlDependencies(List.of(tf.identity(control)))
          .reduceSum(tf.math.add(direct, tf.stopGradient(stopped)), tf.constant(0));
      Operand<TFloat32> loss = tf.math.mul(sum, tf.dtypes.cast(tf.size(sized), TFloat32.class));

      Set<Operation> reachable = GradientPaths.reachableFrom(List.of(loss));
      List<String> reached = ctx.trainableVariables().stream()
          .filter(v -> reachable.contains(v.variable().op())).map(ModelVariable::name).toList();
      assertEquals(List.of("direct"), reached);

      // What addGradients does for a variable the walk rules out but that is connected by data
      // edges: "no gradient", which isMissing recognises.
      List<ModelVariable> vars = ctx.trainableVariables();
      Output<?>[] grads = g.addGradients(loss.asOutput(), new Output<?>[] {
          vars.get(0).variable().asOutput(), vars.get(1).variable().asOutput(), vars.get(2).variable().asOutput()});
      assertFalse(GradientPaths.isMissing(grads[0]), "direct");
      assertTrue(GradientPaths.isMissing(grads[1]), "through StopGradient");
      assertTrue(GradientPaths.isMissing(grads[2]), "through Size");
    }
  }
}
