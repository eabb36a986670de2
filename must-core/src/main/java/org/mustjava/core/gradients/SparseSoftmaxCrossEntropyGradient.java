package org.mustjava.core.gradients;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Gradient of {@code SparseSoftmaxCrossEntropyWithLogits(features [B, C], labels [B]) -> (loss [B],
 * backprop [B, C])}: the op already computes d loss / d features = softmax - one_hot in its second
 * output, so d L / d features = dL/dloss[:, None] * backprop. Labels get zeros.
 *
 * <p>As in TensorFlow's Python gradient, {@code backprop} is treated as a constant: gradients
 * flowing into the second output are ignored (second derivatives are not supported).
 */
final class SparseSoftmaxCrossEntropyGradient implements GradientDefinition {
  @Override
  public String opType() {
    return "SparseSoftmaxCrossEntropyWithLogits";
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Operand<?>> gradients(Ops tf, GraphOperation op, List<Output<?>> outputGradients) {
    Output<TFloat32> lossGrad = (Output<TFloat32>) outputGradients.get(0);
    Output<TFloat32> backprop = op.<TFloat32>output(1);
    Operand<TFloat32> logitsGrad =
        tf.math.mul(tf.expandDims(lossGrad, tf.constant(-1)), tf.stopGradient(backprop));
    return List.of(logitsGrad, tf.zerosLike(op.input(1)));
  }
}
