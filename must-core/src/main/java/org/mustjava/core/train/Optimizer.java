package org.mustjava.core.train;

import java.util.List;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * Builds the ops that apply gradients to an explicit list of variables (never "every variable in
 * the graph"). Slot variables (momentum, Adam moments) are created through the {@link GraphContext}
 * as non-trainable variables named {@code optimizer/<slot>/<variable name>}, so they are checkpointed
 * and resumed with the weights but a prefix restore of {@code backbone/} does not pick them up.
 */
public interface Optimizer {
  /**
   * @param root the root context (slots are created at {@code optimizer/...})
   * @param variables the variables to update
   * @param gradients one gradient per variable, same order
   * @param learningRate scalar rate for this step
   * @return one op that performs every update
   */
  Op apply(GraphContext root, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate);

  /** Gets or creates the zero-initialised slot {@code optimizer/<slot>/<variable name>}. */
  static ModelVariable slot(GraphContext root, String slot, ModelVariable variable) {
    GraphContext ctx = root.scope("optimizer").scope(slot);
    String[] parts = variable.name().split("/");
    for (int i = 0; i < parts.length - 1; i++) ctx = ctx.scope(parts[i]);
    return ctx.getOrCreate(parts[parts.length - 1], variable.shape(), Initializers.zeros(), false, false);
  }

  static void checkSizes(List<ModelVariable> variables, List<? extends Operand<?>> gradients) {
    if (variables.size() != gradients.size()) {
      throw new IllegalArgumentException(
          variables.size() + " variables but " + gradients.size() + " gradients");
    }
  }
}
