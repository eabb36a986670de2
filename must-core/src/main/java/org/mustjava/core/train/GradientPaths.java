package org.mustjava.core.train;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.internal.c_api.TF_Operation;
import org.tensorflow.proto.DataType;

/**
 * Which ops a loss can send a gradient to, found by walking the graph backwards from the loss
 * before {@code Graph.addGradients} is called.
 *
 * <p>{@code addGradients} fails for a variable the loss does not depend on at all ("unreachable
 * from the output node(s)"), and for one it depends on only through ops without a gradient (a
 * {@code Shape}, a {@code StopGradient}, an integer cast) it returns an output without an op, which
 * fails much later and opaquely ("close() has been called on the Graph"). The walk therefore
 * follows only edges a gradient can travel: data edges (not control edges) whose tensors are
 * floating point (or resource/variant handles, to stay conservative), and it does not pass the ops
 * TensorFlow registers as having no gradient. It is conservative in one direction only: an op
 * whose gradient function returns nothing for a floating-point input is not known here, so
 * {@link #isMissing} checks the results of {@code addGradients} as well.
 */
public final class GradientPaths {
  private GradientPaths() {}

  /** Ops with a floating-point input whose gradient TensorFlow defines as none. */
  private static final Set<String> NO_GRADIENT_OPS = Set.of("StopGradient", "ZerosLike", "OneHot");

  /** Every op some loss in {@code losses} can propagate a gradient to (the losses' ops included). */
  static Set<Operation> reachableFrom(Collection<? extends Operand<?>> losses) {
    Set<Operation> seen = new HashSet<>();
    Deque<GraphOperation> todo = new ArrayDeque<>();
    for (Operand<?> loss : losses) todo.add((GraphOperation) loss.op());
    while (!todo.isEmpty()) {
      GraphOperation op = todo.pop();
      if (!seen.add(op) || NO_GRADIENT_OPS.contains(op.type())) continue;
      for (int i = 0; i < op.numInputs(); i++) {
        Output<?> input = op.input(i);
        if (canCarryGradient(input.dataType())) todo.add((GraphOperation) input.op());
      }
    }
    return seen;
  }

  /** Whether {@code addGradients} returned "no gradient" (an output without an op) for this input. */
  public static boolean isMissing(Output<?> gradient) {
    if (gradient == null) return true;
    TF_Operation handle = ((GraphOperation) gradient.op()).getUnsafeNativeHandle();
    return handle == null || handle.isNull();
  }

  private static boolean canCarryGradient(DataType type) {
    int n = type.getNumber();
    DataType base = n > 100 ? DataType.forNumber(n - 100) : type; // DT_FLOAT_REF = DT_FLOAT + 100
    if (base == null) return true;
    switch (base) {
      case DT_FLOAT, DT_DOUBLE, DT_HALF, DT_BFLOAT16, DT_COMPLEX64, DT_COMPLEX128, DT_RESOURCE, DT_VARIANT:
        return true;
      default:
        return false;
    }
  }
}
