package org.mustjava.core.config;

import java.lang.reflect.Type;

/**
 * One parameter of a configurable: its config name (the snake_case form of the Java name, e.g.
 * {@code learning_rate} for {@code learningRate}; configs may also write the Java name), Java name,
 * position, generic type, default (null if none) and whether configs may bind it.
 */
public record ParameterInfo(String name, String javaName, int index, Type type, ConfigValue defaultValue, boolean denylisted) {
  /**
   * The config spelling of a Java parameter name: words split at lower-to-upper case changes and
   * before the last capital of an acronym ({@code useFPNHead} to {@code use_fpn_head}).
   */
  public static String snakeCase(String javaName) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < javaName.length(); i++) {
      char c = javaName.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        char before = javaName.charAt(i - 1);
        boolean afterLowerOrDigit = Character.isLowerCase(before) || Character.isDigit(before);
        boolean endsAcronym = Character.isUpperCase(before) && i + 1 < javaName.length() && Character.isLowerCase(javaName.charAt(i + 1));
        if ((afterLowerOrDigit || endsAcronym) && out.charAt(out.length() - 1) != '_') {
          out.append('_');
        }
      }
      out.append(Character.toLowerCase(c));
    }
    return out.toString();
  }

  /** The erased class of {@link #type()}. */
  public Class<?> rawType() {
    return Types.raw(type);
  }

  /** True when the parameter is {@code Optional<T>}: it defaults to None without {@code @Default}. */
  boolean isOptional() {
    return rawType() == java.util.Optional.class;
  }
}
