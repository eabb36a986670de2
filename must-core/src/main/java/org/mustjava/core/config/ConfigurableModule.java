package org.mustjava.core.config;

import java.util.List;
import java.util.Map;

/**
 * Explicit registration of configurables: each Maven module lists its {@link Configurable} classes
 * in one implementation of this interface, named in
 * {@code META-INF/services/org.mustjava.core.config.ConfigurableModule}.
 */
public interface ConfigurableModule {
  /** Classes carrying {@link Configurable} on the type, a constructor or static factory methods. */
  List<Class<?>> configurables();

  /**
   * Constants configs may name as macros, by full dotted name ({@code "must.models.IMAGENET_MEAN"}
   * is {@code %IMAGENET_MEAN}, {@code %models.IMAGENET_MEAN}, ...), as gin's {@code gin.constant}.
   * Numbers, strings and booleans behave as literals; other objects are passed as they are.
   */
  default Map<String, Object> constants() {
    return Map.of();
  }

  /**
   * Enums whose members configs may name as {@code %Enum.MEMBER} (or with more of the enum's
   * package in front), as gin's {@code constants_from_enum}. Enums that a configurable parameter's
   * type mentions are registered without being listed.
   */
  default List<Class<? extends Enum<?>>> enums() {
    return List.of();
  }
}
