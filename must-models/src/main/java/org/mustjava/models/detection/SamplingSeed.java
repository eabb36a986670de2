package org.mustjava.models.detection;

import java.util.List;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Per-step seeds for the stateless samplers: {@code [salt, step]}, where {@code step} is a
 * non-trainable counter variable ({@code <scope>/sampling_step}) that the train step increments
 * through an update op. So sampling differs from step to step yet is reproducible, and resumes
 * exactly from a checkpoint (the counter is saved with the other variables). The counter is a
 * float variable (the variable store's type): exact up to 2^24 steps.
 */
public final class SamplingSeed {
  private final Ops tf;
  private final Operand<TInt64> step;
  private final long base;

  private SamplingSeed(Ops tf, Operand<TInt64> step, long base) {
    this.tf = tf;
    this.step = step;
    this.base = base;
  }

  /** Creates the counter below {@code ctx} (once per head and graph) and, in training, its increment. */
  public static SamplingSeed create(GraphContext ctx) {
    Ops tf = ctx.tf();
    ModelVariable counter = ctx.getOrCreate("sampling_step", Shape.scalar(), Initializers.zeros(), false, false);
    // The cast copies the value out of the variable; the increment depends on it, so reads come first.
    Operand<TInt64> step = tf.dtypes.cast(tf.identity(counter.variable()), TInt64.class);
    if (ctx.isTraining()) {
      Operand<TFloat32> next = tf.math.add(tf.dtypes.cast(step, TFloat32.class), tf.constant(1f));
      ctx.addUpdateOp(tf.assign(counter.variable(), next));
    }
    return new SamplingSeed(tf, step, ctx.seedFor(ctx.path() + "/sampling")[1] ^ ctx.seed());
  }

  /** The int64 [2] seed of this step for the sampler called {@code name}. */
  public Operand<TInt64> seed(String name) {
    long salt = base;
    for (char c : name.toCharArray()) salt = salt * 31 + c;
    return tf.stack(List.of(tf.constant(salt), step));
  }

  /** This step's counter value. */
  public Operand<TInt64> step() {
    return step;
  }
}
