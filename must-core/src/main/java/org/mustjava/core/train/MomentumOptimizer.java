package org.mustjava.core.train;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * SGD with momentum ({@code ApplyMomentum}): {@code a = m * a + g; w -= lr * a}, or with Nesterov
 * {@code w -= lr * (g + m * a)}. One slot {@code optimizer/momentum/<name>} per variable.
 */
@Configurable
public final class MomentumOptimizer implements Optimizer {
  private final double momentum;
  private final boolean nesterov;

  public MomentumOptimizer(@Default("0.9") double momentum, @Default("False") boolean nesterov) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("MomentumOptimizer.momentum must be in [0, 1): " + momentum);
    }
    this.momentum = momentum;
    this.nesterov = nesterov;
  }

  @Override
  public Op apply(GraphContext root, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate) {
    Optimizer.checkSizes(variables, gradients);
    Ops tf = root.scope("optimizer").tf();
    Operand<TFloat32> m = tf.constant((float) momentum);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      ModelVariable v = variables.get(i);
      ModelVariable accum = Optimizer.slot(root, "momentum", v);
      updates.add(tf.train.applyMomentum(v.variable(), accum.variable(), learningRate, gradients.get(i), m,
          ApplyMomentum.useNesterov(nesterov)));
    }
    return tf.withControlDependencies(updates).noOp();
  }

  @Override
  public String toString() {
    return "MomentumOptimizer(momentum=" + momentum + ", nesterov=" + nesterov + ")";
  }
}
