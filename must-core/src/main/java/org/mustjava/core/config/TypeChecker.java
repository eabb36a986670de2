package org.mustjava.core.config;

import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.mustjava.core.config.ConfigValue.DictValue;
import org.mustjava.core.config.ConfigValue.Entry;
import org.mustjava.core.config.ConfigValue.ListValue;
import org.mustjava.core.config.ConfigValue.MacroValue;
import org.mustjava.core.config.ConfigValue.NoneValue;
import org.mustjava.core.config.ConfigValue.ReferenceValue;
import org.mustjava.core.config.ConfigValue.RequiredValue;
import org.mustjava.core.config.ConfigValue.TupleValue;

/**
 * The load-time type check: does a config value fit a Java parameter type? Catches everything
 * decidable without calling anything (literals, collections, the declared result types of
 * {@code @Name()} references); {@link Injector} re-checks actual results at call time.
 */
final class TypeChecker {
  private final ConfigRegistry registry;
  private final Map<String, Statement.MacroDefinition> macros;

  /**
   * @param registry resolves references; null skips references (defaults checked at registration)
   * @param macros macro definitions; null means macros are not allowed (a {@link Default})
   */
  TypeChecker(ConfigRegistry registry, Map<String, Statement.MacroDefinition> macros) {
    this.registry = registry;
    this.macros = macros;
  }

  /** Adds to {@code errors} every way {@code value} does not fit {@code type}; {@code what} names the parameter. */
  void check(ConfigValue value, Type type, String what, List<Diagnostic> errors) {
    check(value, type, what, errors, null, new ArrayList<>());
  }

  private void check(ConfigValue value, Type type, String what, List<Diagnostic> errors, MacroValue via, List<String> macroStack) {
    Class<?> raw = Types.raw(type);
    Position at = via != null ? via.position() : value.position();
    String viaNote = via != null ? " (via %" + via.name() + ")" : "";
    if (value instanceof MacroValue m) {
      if (macros == null) {
        errors.add(Diagnostic.error(m.position(), "macros are not allowed in @Default values"));
        return;
      }
      Statement.MacroDefinition def = macros.get(m.name());
      if (def == null || macroStack.contains(m.name())) {
        return; // Undefined macros and cycles are reported once by ConfigLoader.
      }
      macroStack.add(m.name());
      check(def.value(), type, what, errors, via != null ? via : m, macroStack);
      macroStack.remove(macroStack.size() - 1);
      return;
    }
    if (value instanceof RequiredValue) {
      if (macros == null) {
        errors.add(Diagnostic.error(value.position(), "%REQUIRED is not allowed in @Default values (leave out @Default to make a parameter required)"));
      }
      return;
    }
    if (value instanceof NoneValue) {
      if (raw.isPrimitive()) {
        errors.add(mismatch(at, what, type, value, null, viaNote));
      }
      return;
    }
    if (raw == Optional.class) {
      check(value, Types.argument(type, 0), what, errors, via, macroStack);
      return;
    }
    if (value instanceof ReferenceValue r) {
      checkReference(r, type, what, errors, at, viaNote);
      return;
    }
    if (value instanceof ConfigValue.ConstantValue c) {
      if (!fitsConstant(c, raw)) {
        errors.add(mismatch(at, what, type, value, "a " + c.value().getClass().getName(), viaNote));
      }
      return;
    }
    if (Scalars.isScalar(value)) {
      try {
        Scalars.convert(value, raw);
      } catch (Scalars.Mismatch e) {
        errors.add(mismatch(at, what, type, value, e.getMessage(), viaNote));
      }
      return;
    }
    if (value instanceof ListValue || value instanceof TupleValue) {
      List<ConfigValue> items = value instanceof ListValue l ? l.items() : ((TupleValue) value).items();
      Type element;
      if (raw.isArray()) {
        element = Types.component(type);
      } else if (raw == Object.class) {
        element = Object.class;
      } else if (acceptsList(raw)) {
        element = Types.argument(type, 0);
      } else {
        errors.add(mismatch(at, what, type, value, null, viaNote));
        return;
      }
      for (int i = 0; i < items.size(); i++) {
        check(items.get(i), element, what + "[" + i + "]", errors, via, macroStack);
      }
      return;
    }
    if (value instanceof DictValue d) {
      if (raw != Object.class && !raw.isAssignableFrom(LinkedHashMap.class)) {
        errors.add(mismatch(at, what, type, value, null, viaNote));
        return;
      }
      for (Entry e : d.entries()) {
        String key = ValueWriter.write(e.key());
        check(e.key(), Types.argument(type, 0), what + " key " + key, errors, via, macroStack);
        check(e.value(), Types.argument(type, 1), what + "[" + key + "]", errors, via, macroStack);
      }
    }
  }

  /** A constant that is not a literal is passed as it is: it must be an instance of the parameter's type. */
  static boolean fitsConstant(ConfigValue.ConstantValue c, Class<?> raw) {
    return raw == Object.class || Types.box(raw).isInstance(c.value());
  }

  /** Collection types a config list converts to (a list, or a set when the parameter asks for one). */
  static boolean acceptsList(Class<?> raw) {
    return raw.isAssignableFrom(ArrayList.class) || raw.isAssignableFrom(LinkedHashSet.class) || raw == Collection.class;
  }

  /** Types an uncalled {@code @Name} converts to. */
  static boolean acceptsReference(Class<?> raw) {
    return raw == ConfigurableReference.class || raw == Supplier.class || raw == Object.class;
  }

  private void checkReference(ReferenceValue r, Type type, String what, List<Diagnostic> errors, Position at, String viaNote) {
    if (registry == null) {
      return;
    }
    ConfigurableInfo target;
    try {
      target = registry.resolve(r.name(), r.namePosition());
    } catch (ConfigException e) {
      return; // Unknown or ambiguous names are reported once by ConfigLoader.
    }
    Class<?> raw = Types.raw(type);
    String ref = ValueWriter.write(r);
    if (!r.called()) {
      if (!acceptsReference(raw)) {
        errors.add(Diagnostic.error(at, "type mismatch: " + what + " expects " + Types.describe(type) + ", got the reference " + ref
            + " (the configurable itself)" + viaNote + "; write " + ref + "() to call it"));
        return;
      }
      if (raw != Object.class && !compatible(Types.argument(type, 0), target.resultClass())) {
        errors.add(Diagnostic.error(at, "type mismatch: " + what + " expects " + Types.describe(type) + ", but " + ref
            + " returns " + target.resultClass().getSimpleName() + viaNote));
      }
      return;
    }
    if (!compatible(type, target.resultClass())) {
      String hint = acceptsReference(raw) ? "; write " + ref.substring(0, ref.length() - 2) + " (without parentheses) to pass the configurable itself" : "";
      errors.add(Diagnostic.error(at, "type mismatch: " + what + " expects " + Types.describe(type) + ", but " + ref
          + " returns " + target.resultClass().getSimpleName() + viaNote + hint));
    }
  }

  /**
   * Could a result declared as {@code result} be a {@code type}? Yes if assignable, or if
   * {@code result} is a supertype (a factory declared to return an interface; checked at call time).
   */
  static boolean compatible(Type type, Class<?> result) {
    Class<?> raw = Types.box(Types.raw(type));
    Class<?> boxed = Types.box(result);
    return raw.isAssignableFrom(boxed) || boxed.isAssignableFrom(raw);
  }

  static Diagnostic mismatch(Position at, String what, Type type, ConfigValue value, String reason, String viaNote) {
    String message = "type mismatch: " + what + " expects " + Types.describe(type) + ", got " + Scalars.describeValue(value) + viaNote;
    if (reason != null) {
      message += " (" + reason + ")";
    }
    return Diagnostic.error(at, message);
  }
}
