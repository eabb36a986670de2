package org.mustjava.models.layers;

import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializer;
import org.mustjava.core.graph.Initializers;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * A fully connected layer on [batch, in] inputs: {@code x kernel + bias}.
 *
 * <p>Variables: {@code kernel} [in, units] (trainable, weight-decayed), {@code bias} [units].
 */
public final class Dense {
  private final int units;
  private final boolean useBias;
  private final Initializer kernelInitializer;

  private Dense(int units, boolean useBias, Initializer kernelInitializer) {
    if (units <= 0) throw new IllegalArgumentException("Dense: units must be positive, got " + units);
    this.units = units;
    this.useBias = useBias;
    this.kernelInitializer = kernelInitializer;
  }

  /** Glorot-uniform kernel, zero bias. */
  public static Dense of(int units) {
    return new Dense(units, true, Initializers.glorotUniform());
  }

  public Dense withBias(boolean b) {
    return new Dense(units, b, kernelInitializer);
  }

  public Dense withKernelInitializer(Initializer init) {
    return new Dense(units, useBias, init);
  }

  /** Builds the layer; {@code ctx} is the layer's own scope. */
  public Operand<TFloat32> apply(GraphContext ctx, Operand<TFloat32> x) {
    if (x.shape().numDimensions() != 2) {
      throw new IllegalArgumentException("Dense " + ctx.path() + ": expected a [batch, features] input, got " + x.shape());
    }
    int in = Layers.channels(x, "Dense " + ctx.path());
    Operand<TFloat32> kernel = ctx.variable("kernel", Shape.of(in, units), kernelInitializer, true, true);
    return multiply(ctx, x, kernel, ctx.precision().compute().type());
  }

  /** The product and bias in the compute type {@code type} (see {@link org.mustjava.core.graph.Precision}); the result in float32. */
  private <T extends TNumber> Operand<TFloat32> multiply(
      GraphContext ctx, Operand<TFloat32> x, Operand<TFloat32> kernel, Class<T> type) {
    Ops tf = ctx.tf();
    Operand<T> y = tf.linalg.matMul(Layers.toCompute(tf, x, type), Layers.toCompute(tf, kernel, type));
    if (useBias) {
      Operand<TFloat32> bias = ctx.variable("bias", Shape.of(units), Initializers.zeros(), true, false);
      y = tf.nn.biasAdd(y, Layers.toCompute(tf, bias, type));
    }
    return Layers.toFloat32(tf, y);
  }
}
