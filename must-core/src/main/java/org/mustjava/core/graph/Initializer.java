package org.mustjava.core.graph;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Produces a variable's initial value. Built in the graph's init scope; {@code seed} is derived from
 * the global seed and the variable's full name, so initial values do not depend on creation order.
 */
@FunctionalInterface
public interface Initializer {
  Operand<TFloat32> initialValue(Ops initOps, Shape shape, long[] seed);
}
