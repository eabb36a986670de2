package org.mustjava.core.gradients;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * Gradient of {@code TopKV2(input [..., n], k) -> (values [..., k], indices [..., k])}: the value
 * gradients are scattered back to the positions the values came from; every other input element
 * gets zero. {@code k} gets zero. Gradients into {@code indices} are ignored (not differentiable).
 */
final class TopKGradient implements GradientDefinition {
  @Override
  public String opType() {
    return "TopKV2";
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<Operand<?>> gradients(Ops tf, GraphOperation op, List<Output<?>> outputGradients) {
    Output<TType> input = (Output<TType>) op.input(0);
    Output<TType> valuesGrad = (Output<TType>) outputGradients.get(0);
    Output<TInt32> indices = op.<TInt32>output(1);
    Operand<TInt32> inShape = tf.shape(input);
    Operand<TInt32> inLast = lastDim(tf, inShape);
    Operand<TInt32> kLast = lastDim(tf, tf.shape(indices));
    // Flatten to rows, then make indices absolute within the flattened input.
    Operand<TInt32> indices2d = tf.reshape(indices, tf.stack(List.of(tf.constant(-1), kLast)));
    Operand<TInt32> rows = tf.gather(tf.shape(indices2d), tf.constant(0), tf.constant(0));
    Operand<TInt32> rowOffsets = tf.expandDims(
        tf.range(tf.constant(0), tf.math.mul(rows, inLast), inLast), tf.constant(-1));
    Operand<TInt32> flat = tf.reshape(tf.math.add(indices2d, rowOffsets), tf.constant(new int[] {-1}));
    Operand<TInt32> total = tf.reshape(tf.prod(inShape, tf.constant(0)), tf.constant(new int[] {1}));
    Operand<TType> scattered = tf.scatterNd(
        tf.expandDims(flat, tf.constant(-1)), tf.reshape(valuesGrad, tf.constant(new int[] {-1})), total);
    return List.of(tf.reshape(scattered, inShape), tf.zerosLike(op.input(1)));
  }

  private static Operand<TInt32> lastDim(Ops tf, Operand<TInt32> shape) {
    Operand<TInt32> last = tf.math.sub(tf.size(shape), tf.constant(1));
    return tf.gather(shape, last, tf.constant(0));
  }
}
