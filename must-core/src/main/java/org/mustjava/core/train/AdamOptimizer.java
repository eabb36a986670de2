package org.mustjava.core.train;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Adam ({@code ApplyAdam}, Kingma and Ba) with bias correction through the running powers
 * {@code optimizer/adam/beta1_power} and {@code beta2_power}, which are variables so a resumed run
 * continues the correction. Slots {@code optimizer/adam_m/<name>} and {@code optimizer/adam_v/<name>}.
 */
@Configurable
public final class AdamOptimizer implements Optimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;

  public AdamOptimizer(
      @Default("0.9") double beta1, @Default("0.999") double beta2, @Default("1e-7") double epsilon) {
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
      throw new IllegalArgumentException(
          "AdamOptimizer needs beta1, beta2 in [0, 1) and epsilon > 0; got " + beta1 + ", " + beta2 + ", " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  @Override
  public Op apply(GraphContext root, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate) {
    Optimizer.checkSizes(variables, gradients);
    GraphContext adam = root.scope("optimizer").scope("adam");
    Ops tf = adam.tf();
    ModelVariable b1Power = adam.getOrCreate("beta1_power", Shape.scalar(), Initializers.constant((float) beta1), false, false);
    ModelVariable b2Power = adam.getOrCreate("beta2_power", Shape.scalar(), Initializers.constant((float) beta2), false, false);
    Operand<TFloat32> b1p = tf.identity(b1Power.variable());
    Operand<TFloat32> b2p = tf.identity(b2Power.variable());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      ModelVariable v = variables.get(i);
      ModelVariable m = Optimizer.slot(root, "adam_m", v);
      ModelVariable s = Optimizer.slot(root, "adam_v", v);
      updates.add(tf.train.applyAdam(v.variable(), m.variable(), s.variable(), b1p, b2p, learningRate,
          tf.constant((float) beta1), tf.constant((float) beta2), tf.constant((float) epsilon), gradients.get(i)));
    }
    // The powers advance only after every variable used the current ones.
    Ops after = tf.withControlDependencies(updates);
    Op p1 = after.assign(b1Power.variable(), after.math.mul(b1p, after.constant((float) beta1)));
    Op p2 = after.assign(b2Power.variable(), after.math.mul(b2p, after.constant((float) beta2)));
    return tf.withControlDependencies(List.of(p1, p2)).noOp();
  }

  @Override
  public String toString() {
    return "AdamOptimizer(beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ")";
  }
}
