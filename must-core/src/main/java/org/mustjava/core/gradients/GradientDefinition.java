package org.mustjava.core.gradients;

import java.util.List;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;

/**
 * A Java gradient for one op type that TensorFlow's C++ gradient registry lacks.
 *
 * <p>Implementations are registered by {@link CustomGradients#ensureRegistered()}: the built-in
 * ones of must-core, plus any listed (one class name per line) in a module's
 * {@code META-INF/services/org.mustjava.core.gradients.GradientDefinition}, so other modules (e.g.
 * detection) add theirs without touching must-core. Each needs a finite-difference test (see
 * {@link GradientChecker}).
 */
public interface GradientDefinition {
  /** The op type, e.g. {@code SparseSoftmaxCrossEntropyWithLogits}. */
  String opType();

  /**
   * Gradients with respect to every input of {@code op}, in input order.
   *
   * @param tf ops builder in the gradient's scope
   * @param op the forward op
   * @param outputGradients gradients flowing into each of the op's outputs
   * @return one operand per input; for inputs that are not differentiable (integer indices, sizes)
   *     return zeros of the input's shape and type ({@code tf.zerosLike}), never {@code null}
   */
  List<Operand<?>> gradients(Ops tf, GraphOperation op, List<Output<?>> outputGradients);
}
