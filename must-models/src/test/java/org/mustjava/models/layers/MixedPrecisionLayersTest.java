package org.mustjava.models.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Precision;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * Conv2d and Dense under {@link Precision}: float32 builds no cast at all; bfloat16 and float16 run
 * the convolution and the product in that type on float32 variables, return float32, and give
 * float32 gradients for the variables that agree with float32's within the type's rounding.
 */
class MixedPrecisionLayersTest {
  private static final Shape INPUT = Shape.of(2, 8, 8, 3);

  /** conv 3x3 (bias) -> BatchNorm -> ReLU -> mean pool -> dense; outputs y, d(sum y)/d(kernel). */
  private record Built(Graph graph, Operand<TFloat32> y, Operand<TFloat32> kernelGradient) {}

  private static Built build(Graph g, Precision precision) {
    GraphContext ctx = GraphContext.create(g, 11, precision);
    Ops tf = ctx.tf();
    Operand<TFloat32> x = tf.random.statelessRandomNormal(tf.constant(INPUT), tf.constant(new long[] {1, 2}));
    Operand<TFloat32> h = Conv2d.of(4, 3).apply(ctx.scope("conv"), x);
    h = tf.nn.relu(BatchNorm.defaults().apply(ctx.scope("bn"), h));
    Operand<TFloat32> pooled = tf.math.mean(h, tf.constant(new int[] {1, 2}));
    Operand<TFloat32> y = Dense.of(5).apply(ctx.scope("dense"), pooled);
    Output<?> kernel = ctx.variables().get(0).variable().asOutput();
    Output<?>[] grads = g.addGradients("grads", new Output<?>[] {tf.reduceSum(y, tf.constant(new int[] {0, 1})).asOutput()},
        new Output<?>[] {kernel}, null);
    return new Built(g, y, grads[0].expect(TFloat32.class));
  }

  private static List<String> opsOfType(Graph g, String type) {
    List<String> out = new ArrayList<>();
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      // Not the gradients, not the variable initializers (tf.zeros casts its zero).
      if (op.type().equals(type) && !op.name().startsWith("grads") && !op.name().contains("_init/")) out.add(op.name());
    }
    return out;
  }

  private static float[][] run(Built b) {
    try (Session s = new Session(b.graph())) {
      s.initialize();
      try (Result r = s.runner().fetch(b.y()).fetch(b.kernelGradient()).run()) {
        float[][] out = new float[2][];
        for (int i = 0; i < 2; i++) {
          TFloat32 t = (TFloat32) r.get(i);
          out[i] = new float[(int) t.size()];
          t.asRawTensor().data().asFloats().read(out[i]);
        }
        return out;
      }
    }
  }

  @Test
  void float32BuildsNoCast() {
    try (Graph g = new Graph()) {
      build(g, Precision.float32());
      assertEquals(List.of(), opsOfType(g, "Cast"));
    }
  }

  @Test
  void bfloat16AndFloat16ComputeInTheirTypeAndMatchFloat32() {
    float[][] reference;
    try (Graph g = new Graph()) {
      reference = run(build(g, Precision.float32()));
    }
    for (String type : List.of("bfloat16", "float16")) {
      try (Graph g = new Graph()) {
        Built b = build(g, Precision.of(type));
        DataType expected = type.equals("bfloat16") ? DataType.DT_BFLOAT16 : DataType.DT_HALF;
        for (String opType : List.of("Conv2D", "MatMul", "BiasAdd")) {
          for (String name : opsOfType(g, opType)) {
            assertEquals(expected, g.operation(name).output(0).dataType(), opType + " " + name + " under " + type);
          }
        }
        // BatchNorm normalises float32; the variables stay float32; the layers return float32.
        for (String name : opsOfType(g, "FusedBatchNormV3")) {
          assertEquals(DataType.DT_FLOAT, g.operation(name).output(0).dataType(), name);
        }
        assertEquals(DataType.DT_FLOAT, b.y().asOutput().dataType());
        assertEquals(DataType.DT_FLOAT, b.kernelGradient().asOutput().dataType());
        float[][] mixed = run(b);
        // bfloat16 keeps 8 mantissa bits, float16 11.
        double tolerance = type.equals("bfloat16") ? 0.03 : 0.005;
        for (int i = 0; i < 2; i++) {
          double err = relativeError(reference[i], mixed[i]);
          assertTrue(err > 0, type + " changed nothing in output " + i);
          assertTrue(err <= tolerance, type + ": relative error " + err + " in output " + i);
        }
      }
    }
  }

  /** max |a - b| / max |a|. */
  private static double relativeError(float[] a, float[] b) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(a[i]));
    }
    return diff / scale;
  }
}
