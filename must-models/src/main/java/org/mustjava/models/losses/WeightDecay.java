package org.mustjava.models.losses;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * L2 weight decay on the variables marked for it (convolution and dense kernels, never biases or
 * BatchNorm parameters): {@code decay / 2 * sum(w^2)}, so its gradient is {@code decay * w} and
 * "weight decay 1e-4" means what it means for SGD.
 */
public final class WeightDecay {
  private WeightDecay() {}

  /** The decay term over every trainable weight-decay variable of the context's graph (0 if none). */
  public static Operand<TFloat32> l2(GraphContext ctx, double decay) {
    Ops tf = ctx.tf();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (ModelVariable v : ctx.weightDecayVariables()) {
      if (!v.trainable()) continue;
      // Read through Identity: math on the ref variable itself breaks addGradients.
      terms.add(tf.nn.l2Loss(tf.identity(v.variable())));
    }
    if (terms.isEmpty() || decay == 0) return tf.constant(0f);
    return tf.math.mul(tf.constant((float) decay), tf.math.addN(terms));
  }
}
