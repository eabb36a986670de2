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
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * LARS (You et al. 2017, "Large Batch Training of Convolutional Networks"), as SimCLR uses it for
 * batches of thousands: momentum SGD whose step for each variable is scaled by a layer-wise trust
 * ratio {@code eta * ||w|| / ||g||}:
 * <pre>
 *   scaled = lr * (||w|| > 0 and ||g|| > 0 ? eta * ||w|| / ||g|| : 1)
 *   a = m * a + scaled * g;   w -= a        (Nesterov: w -= m * a + scaled * g)
 * </pre>
 * The gradient {@code g} already holds the trainer's weight decay ({@code Trainer.weight_decay}
 * adds {@code wd * w} for kernels), so, as in SimCLR's optimiser, decay enters the trust ratio.
 * Variables not marked for weight decay (biases, BatchNorm) are excluded from the adaptation by
 * default ({@code exclude_undecayed}) and take plain momentum steps, as SimCLR excludes them.
 *
 * <p>Built on {@code ApplyMomentum} with learning rate 1 and gradient {@code scaled * g}, which is
 * exactly the update above; one slot {@code optimizer/momentum/<name>} per variable, as {@link
 * MomentumOptimizer}, so switching between the two keeps checkpoint layouts.
 */
@Configurable
public final class LarsOptimizer implements Optimizer {
  private final double momentum;
  private final double eta;
  private final boolean nesterov;
  private final boolean excludeUndecayed;

  /**
   * @param momentum m (SimCLR: 0.9)
   * @param eta trust coefficient (SimCLR: 0.001)
   * @param excludeUndecayed no trust ratio for variables without weight decay (biases, BatchNorm)
   */
  public LarsOptimizer(@Default("0.9") double momentum, @Default("0.001") double eta,
      @Default("False") boolean nesterov, @Default("True") boolean excludeUndecayed) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("LarsOptimizer.momentum must be in [0, 1): " + momentum);
    }
    if (!(eta > 0)) throw new IllegalArgumentException("LarsOptimizer.eta must be > 0: " + eta);
    this.momentum = momentum;
    this.eta = eta;
    this.nesterov = nesterov;
    this.excludeUndecayed = excludeUndecayed;
  }

  @Override
  public Op apply(GraphContext root, List<ModelVariable> variables, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate) {
    Optimizer.checkSizes(variables, gradients);
    Ops tf = root.scope("optimizer").tf();
    Operand<TFloat32> m = tf.constant((float) momentum);
    Operand<TFloat32> one = tf.constant(1f);
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < variables.size(); i++) {
      ModelVariable v = variables.get(i);
      Operand<TFloat32> g = gradients.get(i);
      Operand<TFloat32> rate = learningRate;
      if (!excludeUndecayed || v.weightDecay()) rate = tf.math.mul(learningRate, trustRatio(tf, v, g));
      ModelVariable accum = Optimizer.slot(root, "momentum", v);
      updates.add(tf.train.applyMomentum(v.variable(), accum.variable(), one, tf.math.mul(rate, g), m,
          ApplyMomentum.useNesterov(nesterov)));
    }
    return tf.withControlDependencies(updates).noOp();
  }

  /** {@code eta * ||w|| / ||g||}, or 1 when either norm is 0. */
  private Operand<TFloat32> trustRatio(Ops tf, ModelVariable v, Operand<TFloat32> g) {
    Operand<TFloat32> w = tf.identity(v.variable());
    Operand<TFloat32> wNorm = norm(tf, w);
    Operand<TFloat32> gNorm = norm(tf, g);
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TBool> defined = tf.math.logicalAnd(tf.math.greater(wNorm, zero), tf.math.greater(gNorm, zero));
    Operand<TFloat32> ratio = tf.math.div(tf.math.mul(tf.constant((float) eta), wNorm),
        tf.math.maximum(gNorm, tf.constant(Float.MIN_NORMAL)));
    return tf.select(defined, ratio, tf.constant(1f));
  }

  private static Operand<TFloat32> norm(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1}));
    return tf.math.sqrt(tf.reduceSum(tf.math.square(flat), tf.constant(0)));
  }

  @Override
  public String toString() {
    return "LarsOptimizer(momentum=" + momentum + ", eta=" + eta + ", nesterov=" + nesterov
        + ", exclude_undecayed=" + excludeUndecayed + ")";
  }
}
