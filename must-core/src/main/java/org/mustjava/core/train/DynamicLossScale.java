package org.mustjava.core.train;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.graph.Precision;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.SwitchCond;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Dynamic loss scaling of one training graph (Keras' {@code LossScaleOptimizer} with dynamic scale):
 * the objective is multiplied by {@link #scale} before the gradients are taken, the gradients are
 * divided by it, and after each step the scale is updated: halved (not below 1) when the gradients
 * were not finite, doubled after {@link Precision#lossScaleGrowthSteps} finite steps in a row.
 * A step with non-finite gradients applies nothing ({@link #onlyIfFinite}).
 *
 * <p>State: two non-trainable float32 variables, {@value #SCALE} and {@value #GOOD_STEPS} (a count,
 * exact in float32 far beyond any growth interval). They are created through the root context, so
 * checkpoints hold them and a resumed run continues with the same scale; their {@code optimizer/}
 * prefix keeps them out of model restores, like the optimiser's slots.
 */
final class DynamicLossScale {
  static final String SCALE = "optimizer/loss_scale/scale";
  static final String GOOD_STEPS = "optimizer/loss_scale/good_steps";

  private final ModelVariable scaleVariable;
  private final ModelVariable goodStepsVariable;
  private final int growthSteps;
  /**
   * The scale of this step, copied once: the objective, the gradients and the update use it. A
   * plain read of a ref variable aliases its buffer, so a fetch of it could see this step's update.
   */
  private final Operand<TFloat32> scale;

  DynamicLossScale(GraphContext root, Precision precision) {
    GraphContext ctx = root.scope("optimizer").scope("loss_scale");
    this.scaleVariable = ctx.getOrCreate("scale", Shape.scalar(),
        Initializers.constant(precision.initialLossScale()), false, false);
    this.goodStepsVariable = ctx.getOrCreate("good_steps", Shape.scalar(), Initializers.zeros(), false, false);
    this.growthSteps = precision.lossScaleGrowthSteps();
    Ops tf = ctx.tf();
    this.scale = tf.withName("scale_this_step").deepCopy(tf.identity(scaleVariable.variable()));
  }

  Operand<TFloat32> scale() {
    return scale;
  }

  /** {@code objective * scale}, the value whose gradients are taken. */
  Operand<TFloat32> scaled(Ops tf, Operand<TFloat32> objective) {
    return tf.math.mul(objective, scale);
  }

  /** {@code gradient / scale} for each gradient. */
  List<Operand<TFloat32>> unscaled(Ops tf, List<Operand<TFloat32>> gradients) {
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : gradients) out.add(tf.math.div(g, scale));
    return out;
  }

  /**
   * {@code value} where {@code finite} holds; a dead tensor otherwise (a {@code Switch}), so every op
   * that consumes it (the optimiser's updates) does not run on that step.
   */
  static Operand<TFloat32> onlyIfFinite(Ops tf, Operand<TFloat32> value, Operand<TBool> finite) {
    return tf.switchCond(value, finite).outputTrue();
  }

  /**
   * An op that completes whether or not {@code applied} ran: {@code applied} when the gradients were
   * finite, nothing otherwise (the {@code Merge} of the two branches, as TF1's {@code cond}).
   */
  static Op afterSkippableUpdate(Ops tf, Op applied, Operand<TBool> finite) {
    SwitchCond<TBool> branch = tf.switchCond(finite, finite);
    Operand<TBool> done = tf.withControlDependencies(List.of(applied)).identity(branch.outputTrue());
    Operand<TBool> skipped = tf.identity(branch.outputFalse());
    Operand<TBool> merged = tf.withName("update_or_skip").merge(List.of(done, skipped)).output();
    return tf.withControlDependencies(List.of(merged)).noOp();
  }

  /** Updates the scale and the count of finite steps from this step's {@code finite}. */
  Op update(Ops tf, Operand<TBool> finite) {
    Operand<TFloat32> good = tf.identity(goodStepsVariable.variable());
    Operand<TFloat32> goodNext = tf.math.add(good, tf.constant(1f));
    Operand<TBool> grow = tf.math.greaterEqual(goodNext, tf.constant((float) growthSteps));
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> newGood = tf.select(finite, tf.select(grow, zero, goodNext), zero);
    Operand<TFloat32> newScale = tf.select(finite,
        tf.select(grow, tf.math.mul(scale, tf.constant(2f)), scale),
        tf.math.maximum(tf.math.div(scale, tf.constant(2f)), tf.constant(1f)));
    Op a = tf.withName("update_scale").assign(scaleVariable.variable(), newScale);
    Op b = tf.withName("update_good_steps").assign(goodStepsVariable.variable(), newGood);
    return tf.withControlDependencies(List.of(a, b)).noOp();
  }
}
