package org.mustjava.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.models.testing.TestTensors;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

class BatchNormTest {
  // Two channels; channel 0 values 1..4 (mean 2.5, unbiased var 5/3), channel 1 constant 2.
  private static final float[][][][] X = {{{{1, 2}, {2, 2}}, {{3, 2}, {4, 2}}}};

  @Test
  void trainingNormalisesWithBatchStatisticsAndRegistersMovingAverageUpdates() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      var x = ctx.tf().constant(X);
      var y = BatchNorm.defaults().withMomentum(0.9f).apply(ctx.scope("bn"), x);
      assertEquals(2, ctx.updateOps().size());
      s.initialize();
      var runner = s.runner().fetch(y);
      ctx.updateOps().forEach(runner::addTarget);
      try (Tensor out = runner.run().get(0)) {
        float[] v = TestTensors.vector(out);
        // (1 - 2.5) / sqrt(1.25 + 1e-3)
        assertEquals(-1.5 / Math.sqrt(1.25 + 1e-3), v[0], 1e-5);
        assertEquals(0f, v[1], 1e-6);
      }
      float[] mean = read(s, ctx, "bn/moving_mean");
      float[] var = read(s, ctx, "bn/moving_variance");
      assertArrayEquals(new float[] {0.25f, 0.2f}, mean, 1e-6f);
      // Moving variance tracks the Bessel-corrected batch variance.
      assertArrayEquals(new float[] {0.9f + 0.1f * 5f / 3f, 0.9f}, var, 1e-6f);
    }
  }

  @Test
  void evaluationUsesMovingStatisticsAndRegistersNothing() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1).withTraining(false);
      var y = BatchNorm.defaults().apply(ctx.scope("bn"), ctx.tf().constant(X));
      assertTrue(ctx.updateOps().isEmpty());
      s.initialize();
      try (Tensor out = s.runner().fetch(y).run().get(0)) {
        // Moving mean 0, variance 1: y = x / sqrt(1 + eps).
        assertEquals(4 / Math.sqrt(1 + 1e-3), TestTensors.vector(out)[6], 1e-5);
      }
    }
  }

  @Test
  void frozenBatchNormUsesMovingStatisticsInTrainingAndHasNoTrainableVariables() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      var x = ctx.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
      var y = BatchNorm.defaults().frozen(true).apply(ctx.scope("bn"), x);
      assertTrue(ctx.updateOps().isEmpty());
      assertTrue(ctx.trainableVariables().isEmpty());
      assertEquals(4, ctx.variables().size());
      for (ModelVariable v : ctx.variables()) assertFalse(v.weightDecay());
      s.initialize();
      try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, 2), d -> {
            d.setFloat(3f, 0, 0);
            d.setFloat(-1f, 0, 1);
          });
          Tensor r = s.runner().feed(x, in).fetch(y).run().get(0)) {
        assertArrayEquals(new float[] {(float) (3 / Math.sqrt(1.001)), (float) (-1 / Math.sqrt(1.001))},
            TestTensors.vector(r), 1e-5f);
      }
    }
  }

  private static float[] read(Session s, GraphContext ctx, String name) {
    ModelVariable v = ctx.variables(m -> m.name().equals(name)).get(0);
    try (Tensor t = s.runner().fetch(v.variable()).run().get(0)) {
      return TestTensors.vector(t);
    }
  }
}
