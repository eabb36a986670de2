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
 * <p>Why not the engine's optimiser: when this benchmark was written and measured (BENCHMARKS.md)
 * the training engine was not on main. It now is: the next step is to build the benchmarked step
 * with must-core's {@code TrainingGraph} + {@code MomentumOptimizer}, which also gates every
 * update behind all gradients (here an update may start while other gradients still read the
 * variable; the work per step is the same, only its order may differ) and computes the global
 * gradient norm. Until then this is must-models' test helper {@code MomentumStep}, which main code
 * cannot use.
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
