package org.mustjava.models.backbones;

import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.layers.BatchNorm;
import org.mustjava.models.layers.Conv2d;
import org.mustjava.models.layers.Padding;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The ResNet basic residual block (ResNet-18/34): 3x3 (f, stride) -> 3x3 (f), each followed by
 * BatchNorm, ReLU after the first and after the sum with the shortcut (a strided 1x1 projection +
 * BN when the shape changes).
 */
final class BasicBlock {
  private BasicBlock() {}

  static Operand<TFloat32> apply(GraphContext ctx, Operand<TFloat32> x, int filters, int stride,
      BatchNorm bn, boolean zeroInitResidual) {
    Ops tf = ctx.tf();
    Operand<TFloat32> shortcut = x;
    if (stride != 1 || x.shape().get(3) != filters) {
      GraphContext sc = ctx.scope("shortcut");
      shortcut = Conv2d.of(filters, 1).withStride(stride).withPadding(Padding.VALID).withBias(false)
          .apply(sc.scope("conv"), x);
      shortcut = bn.apply(sc.scope("bn"), shortcut);
    }
    Operand<TFloat32> y = Conv2d.of(filters, 3).withStride(stride)
        .withPadding(stride == 1 ? Padding.SAME : Padding.FIXED).withBias(false)
        .apply(ctx.scope("conv1"), x);
    y = tf.nn.relu(bn.apply(ctx.scope("bn1"), y));
    y = Conv2d.of(filters, 3).withBias(false).apply(ctx.scope("conv2"), y);
    y = bn.withZeroGamma(zeroInitResidual).apply(ctx.scope("bn2"), y);
    return tf.nn.relu(tf.math.add(y, shortcut));
  }
}
