package org.mustjava.models.layers;

import java.util.List;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializer;
import org.mustjava.core.graph.Initializers;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d.Options;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * A 2-D convolution over NHWC inputs (immutable spec; {@link #apply} builds it).
 *
 * <p>Variables, created in the context passed to {@link #apply}: {@code kernel} [k, k, in, out]
 * (trainable, weight-decayed) and, if enabled, {@code bias} [out] (trainable, not decayed).
 *
 * <pre>{@code
 * Operand<TFloat32> y = Conv2d.of(64, 7).withStride(2).withBias(false).apply(ctx.scope("conv1"), x);
 * }</pre>
 */
public final class Conv2d {
  private final int filters;
  private final int kernelSize;
  private final int stride;
  private final int dilation;
  private final Padding padding;
  private final boolean useBias;
  private final Initializer kernelInitializer;
  private final Initializer biasInitializer;

  private Conv2d(int filters, int kernelSize, int stride, int dilation, Padding padding,
      boolean useBias, Initializer kernelInitializer, Initializer biasInitializer) {
    if (filters <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0) {
      throw new IllegalArgumentException("Conv2d: filters, kernel size, stride and dilation must be positive, got "
          + filters + ", " + kernelSize + ", " + stride + ", " + dilation);
    }
    this.filters = filters;
    this.kernelSize = kernelSize;
    this.stride = stride;
    this.dilation = dilation;
    this.padding = padding;
    this.useBias = useBias;
    this.kernelInitializer = kernelInitializer;
    this.biasInitializer = biasInitializer;
  }

  /** A k x k convolution with stride 1, SAME padding, a bias and He-normal kernel initialisation. */
  public static Conv2d of(int filters, int kernelSize) {
    return new Conv2d(filters, kernelSize, 1, 1, Padding.SAME, true, Initializers.heNormal(), Initializers.zeros());
  }

  public Conv2d withStride(int s) {
    return new Conv2d(filters, kernelSize, s, dilation, padding, useBias, kernelInitializer, biasInitializer);
  }

  public Conv2d withDilation(int d) {
    return new Conv2d(filters, kernelSize, stride, d, padding, useBias, kernelInitializer, biasInitializer);
  }

  public Conv2d withPadding(Padding p) {
    return new Conv2d(filters, kernelSize, stride, dilation, p, useBias, kernelInitializer, biasInitializer);
  }

  public Conv2d withBias(boolean b) {
    return new Conv2d(filters, kernelSize, stride, dilation, padding, b, kernelInitializer, biasInitializer);
  }

  public Conv2d withKernelInitializer(Initializer init) {
    return new Conv2d(filters, kernelSize, stride, dilation, padding, useBias, init, biasInitializer);
  }

  public Conv2d withBiasInitializer(Initializer init) {
    return new Conv2d(filters, kernelSize, stride, dilation, padding, useBias, kernelInitializer, init);
  }

  public int filters() {
    return filters;
  }

  /** Builds the convolution; {@code ctx} is the layer's own scope (holds {@code kernel}, {@code bias}). */
  public Operand<TFloat32> apply(GraphContext ctx, Operand<TFloat32> x) {
    int in = Layers.channels(x, "Conv2d " + ctx.path());
    Operand<TFloat32> kernel =
        ctx.variable("kernel", Shape.of(kernelSize, kernelSize, in, filters), kernelInitializer, true, true);
    Ops tf = ctx.tf();
    int effective = (kernelSize - 1) * dilation + 1;
    Operand<TFloat32> padded =
        Layers.padSpatial(tf, x, padding.padBefore(effective), padding.padAfter(effective));
    Options[] options = dilation == 1 ? new Options[0]
        : new Options[] {org.tensorflow.op.nn.Conv2d.dilations(List.of(1L, (long) dilation, (long) dilation, 1L))};
    return convolve(ctx, padded, kernel, options, ctx.precision().compute().type());
  }

  /** The convolution and bias in the compute type {@code type} (see {@link org.mustjava.core.graph.Precision}); the result in float32. */
  private <T extends TNumber> Operand<TFloat32> convolve(
      GraphContext ctx, Operand<TFloat32> x, Operand<TFloat32> kernel, Options[] options, Class<T> type) {
    Ops tf = ctx.tf();
    Operand<T> y = tf.nn.conv2d(Layers.toCompute(tf, x, type), Layers.toCompute(tf, kernel, type),
        List.of(1L, (long) stride, (long) stride, 1L), padding.opPadding(), options);
    if (useBias) {
      Operand<TFloat32> bias = ctx.variable("bias", Shape.of(filters), biasInitializer, true, false);
      y = tf.nn.biasAdd(y, Layers.toCompute(tf, bias, type));
    }
    return Layers.toFloat32(tf, y);
  }
}
