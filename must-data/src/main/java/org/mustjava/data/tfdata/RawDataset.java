package org.mustjava.data.tfdata;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TType;

/**
 * A tf.data dataset in a graph, built from raw {@code tf.data} ops: its variant handle and the
 * element signature (one dtype and static shape per component) that every downstream dataset and
 * iterator op must be told.
 */
public record RawDataset(
    Operand<? extends TType> handle, List<Class<? extends TType>> types, List<Shape> shapes) {
  public RawDataset {
    types = List.copyOf(types);
    shapes = List.copyOf(shapes);
    if (types.size() != shapes.size()) {
      throw new IllegalArgumentException(types.size() + " component types but " + shapes.size() + " shapes");
    }
  }
}
