package org.mustjava.models.testing;

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
 * A minimal SGD-with-momentum train step for model tests (the engine has the real optimisers):
 * gradients of the loss w.r.t. every trainable variable, {@code ApplyMomentum} on the ref
 * variables, and the BatchNorm update ops, grouped in one target op.
 */
public final class MomentumStep {
  private MomentumStep() {}

  /** The gradients of {@code loss} w.r.t. every trainable variable, in {@code ctx.trainableVariables()} order. */
  public static Output<?>[] gradients(GraphContext ctx, Operand<TFloat32> loss) {
    List<ModelVariable> vars = ctx.trainableVariables();
    Output<?>[] xs = new Output<?>[vars.size()];
    for (int i = 0; i < xs.length; i++) xs[i] = vars.get(i).variable().asOutput();
    return ctx.graph().addGradients(loss.asOutput(), xs);
  }

  @SuppressWarnings("unchecked")
  public static Op build(GraphContext ctx, Operand<TFloat32> loss, float learningRate, float momentum) {
    List<ModelVariable> vars = ctx.trainableVariables();
    Output<?>[] grads = gradients(ctx, loss);
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
