package org.mustjava.experiments.pseudolabel;

import java.util.Set;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;

/**
 * What a teacher output of a given meaning must look like: its types, rank(s) and the size of its
 * last dimension where that is fixed. Checked against the signature when a teacher loads (where
 * the signature declares them) and against every result. Each label type's {@link PseudoLabeler}
 * gives the spec of its outputs.
 */
record OutputSpec(Set<DataType> types, Set<Integer> ranks, long lastDim, String layout) {
  /** Checks the signature's declaration (an unknown shape passes; the result is checked later). */
  void checkDeclared(String who, DataType type, Shape shape) {
    if (!types.contains(type)) throw new IllegalArgumentException(who + " is " + type + ", expected " + layout);
    if (shape == null || shape.isUnknown()) return;
    checkShape(who, shape);
  }

  /** Checks one result tensor, including its batch size. */
  void checkActual(String who, Tensor t, int batchSize) {
    if (!types.contains(t.dataType())) throw new IllegalArgumentException(who + " is " + t.dataType() + ", expected " + layout);
    checkShape(who, t.shape());
    if (t.shape().size(0) != batchSize) {
      throw new IllegalArgumentException(who + " has shape " + t.shape() + " for a batch of " + batchSize + " images");
    }
    if (ranks.contains(4) && ranks.contains(3) && t.shape().numDimensions() == 4 && t.shape().size(3) != 1) {
      throw new IllegalArgumentException(who + " has shape " + t.shape() + ", expected " + layout);
    }
  }

  private void checkShape(String who, Shape shape) {
    if (!ranks.contains(shape.numDimensions())) {
      throw new IllegalArgumentException(who + " has rank " + shape.numDimensions() + " (shape " + shape + "), expected " + layout);
    }
    if (lastDim > 0 && shape.size(shape.numDimensions() - 1) != lastDim && shape.size(shape.numDimensions() - 1) != -1) {
      throw new IllegalArgumentException(who + " has shape " + shape + ", expected " + layout);
    }
  }
}
