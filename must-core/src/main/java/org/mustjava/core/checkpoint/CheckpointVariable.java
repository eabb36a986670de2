package org.mustjava.core.checkpoint;

import java.util.Objects;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.proto.DataType;

/**
 * A variable as checkpoints see it: its key (the full variable name), the ref handle to save from
 * and assign to, its static shape and element type.
 */
public record CheckpointVariable(String name, Variable<?> ref, Shape shape, DataType dtype) {
  public CheckpointVariable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ref, "ref");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(dtype, "dtype");
  }

  public static CheckpointVariable of(ModelVariable v) {
    return new CheckpointVariable(v.name(), v.variable(), v.shape(), DataType.DT_FLOAT);
  }

  /** A variable created outside a GraphContext (e.g. the int64 global step). */
  public static CheckpointVariable of(String name, Variable<?> ref, Shape shape) {
    return new CheckpointVariable(name, ref, shape, ((Operand<?>) ref).asOutput().dataType());
  }
}
