package org.mustjava.models.heads;

import java.util.Map;
import java.util.TreeSet;
import org.tensorflow.Operand;
import org.tensorflow.types.family.TType;

/** Typed access to a head's label tensors with errors that name the head and the key. */
public final class Labels {
  private Labels() {}

  /**
   * The label {@code key} as {@code type}.
   *
   * @throws IllegalArgumentException if missing (listing the keys present) or of another dtype
   */
  @SuppressWarnings("unchecked")
  public static <T extends TType> Operand<T> get(Map<String, Operand<?>> labels, String key, Class<T> type, String head) {
    Operand<?> op = labels.get(key);
    if (op == null) {
      throw new IllegalArgumentException("head '" + head + "' needs label '" + key + "'; the batch has "
          + new TreeSet<>(labels.keySet()));
    }
    if (!type.isAssignableFrom(op.type())) {
      throw new IllegalArgumentException("head '" + head + "': label '" + key + "' must be "
          + type.getSimpleName() + ", got " + op.type().getSimpleName());
    }
    return (Operand<T>) op;
  }

  /** Like {@link #get} but {@code null} when absent. */
  public static <T extends TType> Operand<T> optional(Map<String, Operand<?>> labels, String key, Class<T> type, String head) {
    return labels.containsKey(key) ? get(labels, key, type, head) : null;
  }
}
