package org.mustjava.core.config;

import java.util.List;

/**
 * A parsed value of the config language, with the position it was written at. Values are
 * immutable; {@link ValueWriter} prints them back in the same syntax.
 */
public sealed interface ConfigValue {
  /** Where the value starts in its source. */
  Position position();

  /** An integer literal ({@code 3}, {@code -1}, {@code 0x10}); the language's ints are 64-bit. */
  record IntValue(long value, Position position) implements ConfigValue {}

  /** A float literal ({@code 0.5}, {@code 1e-4}, {@code inf}, {@code nan}). */
  record FloatValue(double value, Position position) implements ConfigValue {}

  /** A string literal; adjacent literals are already concatenated. */
  record StringValue(String value, Position position) implements ConfigValue {}

  /** {@code True} or {@code False}. */
  record BoolValue(boolean value, Position position) implements ConfigValue {}

  /** {@code None}. */
  record NoneValue(Position position) implements ConfigValue {}

  /** {@code [a, b]}. */
  record ListValue(List<ConfigValue> items, Position position) implements ConfigValue {}

  /** {@code (a, b)}, {@code (a,)} or {@code ()}. */
  record TupleValue(List<ConfigValue> items, Position position) implements ConfigValue {}

  /** {@code {key: value, ...}} in source order; keys are strings, numbers or booleans. */
  record DictValue(List<Entry> entries, Position position) implements ConfigValue {}

  /** One {@code key: value} of a dict. */
  record Entry(ConfigValue key, ConfigValue value) {}

  /** {@code %NAME}: the value of macro NAME. */
  record MacroValue(String name, Position position) implements ConfigValue {}

  /**
   * A Java constant that is not a literal (an enum member, any object a module registers), as
   * {@code %module.Enum.MEMBER} names it; {@code name} is its full name. Constants that are
   * numbers, strings or booleans are registered as the literal values instead.
   */
  record ConstantValue(String name, Object value, Position position) implements ConfigValue {}

  /** {@code %REQUIRED}: a value that another binding must provide before it is needed. */
  record RequiredValue(Position position) implements ConfigValue {}

  /**
   * {@code @scope/Name} (the configurable itself, as a {@link ConfigurableReference}) or {@code
   * @scope/Name()} (the result of calling it). {@code scope} is "" for the root scope; {@code
   * namePosition} points at the name after the scope.
   */
  record ReferenceValue(String scope, String name, boolean called, Position position, Position namePosition)
      implements ConfigValue {}
}
