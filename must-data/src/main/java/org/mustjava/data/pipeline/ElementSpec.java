package org.mustjava.data.pipeline;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.family.TType;

/**
 * The named components of a dataset element, in order: what tf.data ops need as {@code
 * output_types}/{@code output_shapes}, plus each component's padding value for PaddedBatch, which is
 * also the "no label" value of an example without that label. Label types add their components.
 */
public final class ElementSpec {
  /** One component: name, dtype, shape of one element (not batched), padding value. */
  public record Component(String name, Class<? extends TType> type, Shape shape, Object padValue) {}

  private final List<Component> components = new ArrayList<>();

  public ElementSpec add(String name, Class<? extends TType> type, Shape shape, Object padValue) {
    for (Component c : components) {
      if (c.name().equals(name)) {
        throw new IllegalArgumentException("duplicate component " + name);
      }
    }
    components.add(new Component(name, type, shape, padValue));
    return this;
  }

  public List<Component> components() {
    return List.copyOf(components);
  }

  List<Class<? extends TType>> types() {
    return components.stream().<Class<? extends TType>>map(Component::type).toList();
  }

  List<Shape> shapes() {
    return components.stream().map(Component::shape).toList();
  }

  /** The shapes with a leading batch dimension ({@code -1} when unknown). */
  List<Shape> batchedShapes(long batch) {
    return components.stream().map(c -> c.shape().prepend(batch)).toList();
  }

  int indexOf(String name) {
    for (int i = 0; i < components.size(); i++) {
      if (components.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }
}
