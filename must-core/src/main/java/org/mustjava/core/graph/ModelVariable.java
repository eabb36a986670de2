package org.mustjava.core.graph;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One variable created through a {@link GraphContext}.
 *
 * @param name full hierarchical name, e.g. {@code backbone/stage3/block12/conv2/kernel}; also the
 *     VariableV2 op name and the checkpoint key
 * @param variable the ref variable; never apply math ops to it directly (see {@link GraphContext})
 * @param trainable whether the optimiser updates it
 * @param weightDecay whether L2 weight decay applies (kernels only, by convention)
 */
public record ModelVariable(
    String name, Shape shape, Variable<TFloat32> variable, boolean trainable, boolean weightDecay) {}
