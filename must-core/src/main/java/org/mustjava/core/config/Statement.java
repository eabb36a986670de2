package org.mustjava.core.config;

/** One statement of a config source. */
sealed interface Statement {
  Position position();

  /**
   * {@code scope/module.Name.param = value}, or one {@code param = value} line of a binding block
   * {@code scope/module.Name:}. {@code scope} is "" at the root; {@code name} may be
   * module-qualified ({@code must.models.ResNet}).
   */
  record Binding(
      String scope, String name, String param, ConfigValue value,
      Position position, Position namePosition, Position paramPosition)
      implements Statement {}

  /** {@code NAME = value}; a scoped macro {@code scope/NAME = value} is named {@code scope/NAME}, as in gin. */
  record MacroDefinition(String name, ConfigValue value, Position position) implements Statement {}

  /** {@code include 'path'}. */
  record Include(String path, Position position, Position pathPosition) implements Statement {}

  /** {@code import a.b [as c]} or {@code from a import b [as c]}: accepted for gin compatibility and ignored. */
  record Import(String text, Position position) implements Statement {}
}
