package org.mustjava.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The training step the benchmarks time: gradients of the loss w.r.t. every trainable variable,
 * SGD with momentum ({@code ApplyMomentum}) on each, and the BatchNorm moving-average updates,
 * grouped in one target op. The work per step is what any momentum optimiser does.
 *
 * <p>Why not the engine's optimiser: when this benchmark was written the training engine
 * (must-core {@code train} package) was not merged yet. This is the same update as
 * must-models' test helper {@code MomentumStep}, which main code cannot use; once the engine's
 * {@code MomentumOptimizer} is on main, this class should be replaced by it.
 */
public final class MomentumTrainStep {
  private MomentumTrainStep() {}

  /**
   * Builds the update op under {@code ctx.scope("optimizer")}.
   *
   * @param ctx the model's root context (its trainable variables and update ops are used)
   * @param loss the scalar to minimise
   */
  @SuppressWarnings("unchecked")
  public static Op build(GraphContext ctx, Operand<TFloat32> loss, float learningRate, float momentum) {
    List<ModelVariable> vars = ctx.trainableVariables();
    if (vars.isEmpty()) throw new IllegalArgumentException("the graph has no trainable variables");
    Output<?>[] xs = new Output<?>[vars.size()];
    for (int i = 0; i < xs.length; i++) xs[i] = vars.get(i).variable().asOutput();
    Output<?>[] grads = ctx.graph().addGradients(loss.asOutput(), xs);
    GraphContext opt = ctx.scope("optimizer");
    Ops tf = opt.tf();
    List<Op> updates = new ArrayList<>(ctx.updateOps());
    for (int i = 0; i < vars.size(); i++) {
      ModelVariable v = vars.get(i);
      ModelVariable accum = opt.getOrCreate(v.name().replace('/', '.') + ".momentum", v.shape(),
          Initializers.zeros(), false, false);
      updates.add(tf.train.applyMomentum(v.variable(), accum.variable(), tf.constant(learningRate),
          (Output<TFloat32>) grads[i], tf.constant(momentum)));
    }
    return tf.withControlDependencies(updates).noOp();
  }
}
