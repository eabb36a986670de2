package org.mustjava.models.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.mustjava.core.gradients.GradientChecker;
import org.mustjava.core.graph.GraphContext;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The C++ gradients the layers rely on (FusedBatchNormV3 in training and inference mode, Conv2D
 * with explicit padding, MaxPool, bilinear/nearest resize) agree with finite differences.
 */
class LayerGradientsTest {

  @Test
  void batchNormInTrainingMode() {
    check(Shape.of(2, 3, 3, 4), (ctx, x) -> BatchNorm.defaults().apply(ctx.scope("bn"), x));
  }

  @Test
  void frozenBatchNormAndEvaluationMode() {
    check(Shape.of(2, 3, 3, 4), (ctx, x) -> BatchNorm.defaults().frozen(true).apply(ctx.scope("bn"), x));
    check(Shape.of(2, 3, 3, 4), (ctx, x) -> BatchNorm.defaults().apply(ctx.withTraining(false).scope("bn"), x));
  }

  @Test
  void stridedConvolutionWithFixedPadding() {
    check(Shape.of(1, 5, 5, 2), (ctx, x) ->
        Conv2d.of(3, 3).withStride(2).withPadding(Padding.FIXED).apply(ctx.scope("conv"), x));
  }

  @Test
  void maxPoolingWithSameAndValidPadding() {
    // Gaussian inputs have no ties, so the maximum is differentiable at the checked point.
    check(Shape.of(2, 5, 5, 3), (ctx, x) -> Pooling.maxPool(ctx.tf(), x, 3, 2, Padding.SAME));
    check(Shape.of(2, 5, 5, 3), (ctx, x) -> Pooling.maxPool(ctx.tf(), x, 2, 1, Padding.VALID));
  }

  @Test
  void resizes() {
    check(Shape.of(1, 3, 4, 2), (ctx, x) -> Resize.bilinear(ctx.tf(), x, ctx.tf().constant(new int[] {7, 5})));
    check(Shape.of(1, 3, 4, 2), (ctx, x) -> Resize.nearest(ctx.tf(), x, ctx.tf().constant(new int[] {6, 8})));
  }

  private static void check(Shape shape, BiFunction<GraphContext, Operand<TFloat32>, Operand<TFloat32>> layer) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 3);
      var x = ctx.tf().placeholder(TFloat32.class, Placeholder.shape(shape));
      Operand<TFloat32> y = layer.apply(ctx, x);
      s.initialize();
      try (TFloat32 x0 = TFloat32.tensorOf(shape)) {
        Random r = new Random(5);
        x0.scalars().forEach(e -> e.setFloat((float) r.nextGaussian()));
        GradientChecker.Result result = GradientChecker.check(g, s, y, x, x0, Map.of(), 1e-3);
        assertTrue(result.maxRelError() < 1e-2, result.toString());
      }
    }
  }
}
