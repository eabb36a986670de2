package org.mustjava.core.config;

import java.lang.reflect.Type;

/**
 * One parameter of a configurable: its Java name (what bindings use), generic type, default (null
 * if none) and whether configs may bind it.
 */
public record ParameterInfo(String name, int index, Type type, ConfigValue defaultValue, boolean denylisted) {
  /** The erased class of {@link #type()}. */
  public Class<?> rawType() {
    return Types.raw(type);
  }

  /** True when the parameter is {@code Optional<T>}: it defaults to None without {@code @Default}. */
  boolean isOptional() {
    return rawType() == java.util.Optional.class;
  }
}
