package org.mustjava.core.config;

/** One statement of a config source. */
sealed interface Statement {
  Position position();

  /**
   * {@code scope/module.Name.param = value}. {@code scope} is "" at the root; {@code name} may be
   * module-qualified ({@code must.models.ResNet}).
   */
  record Binding(
      String scope, String name, String param, ConfigValue value,
      Position position, Position namePosition, Position paramPosition)
      implements Statement {}

  /** {@code NAME = value}. */
  record MacroDefinition(String name, ConfigValue value, Position position) implements Statement {}

  /** {@code include 'path'}. */
  record Include(String path, Position position, Position pathPosition) implements Statement {}

  /** {@code import a.b} or {@code from a import b}: accepted for gin compatibility and ignored. */
  record Import(String text, Position position) implements Statement {}
}
