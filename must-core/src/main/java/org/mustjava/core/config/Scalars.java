package org.mustjava.core.config;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.config.ConfigValue.BoolValue;
import org.mustjava.core.config.ConfigValue.FloatValue;
import org.mustjava.core.config.ConfigValue.IntValue;
import org.mustjava.core.config.ConfigValue.StringValue;

/**
 * Conversion of literal scalars (int, float, string, bool) to Java types, shared by the static
 * check at load time and the conversion at call time so that both accept exactly the same values.
 */
final class Scalars {
  private Scalars() {}

  /** Thrown when a value does not fit the target type; the message says why (no "expects" prefix). */
  static final class Mismatch extends Exception {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message, null, false, false);
    }
  }

  /** True if {@code v} is a literal scalar that {@link #convert} handles. */
  static boolean isScalar(ConfigValue v) {
    return v instanceof IntValue || v instanceof FloatValue || v instanceof StringValue || v instanceof BoolValue;
  }

  /**
   * Converts a scalar to {@code target} (a class; primitives allowed). Ints widen to floats; floats
   * never narrow to ints; strings become enums (by constant name) and paths.
   */
  static Object convert(ConfigValue v, Class<?> target) throws Mismatch {
    Class<?> t = Types.box(target);
    if (v instanceof IntValue i) {
      long x = i.value();
      if (t == Long.class || t == Object.class || t == Number.class) {
        return x;
      }
      if (t == Integer.class) {
        return (int) range(x, Integer.MIN_VALUE, Integer.MAX_VALUE, "int");
      }
      if (t == Short.class) {
        return (short) range(x, Short.MIN_VALUE, Short.MAX_VALUE, "short");
      }
      if (t == Byte.class) {
        return (byte) range(x, Byte.MIN_VALUE, Byte.MAX_VALUE, "byte");
      }
      if (t == Double.class) {
        return (double) x;
      }
      if (t == Float.class) {
        return (float) x;
      }
    } else if (v instanceof FloatValue f) {
      double x = f.value();
      if (t == Double.class || t == Object.class || t == Number.class) {
        return x;
      }
      if (t == Float.class) {
        if (Double.isFinite(x) && Math.abs(x) > Float.MAX_VALUE) {
          throw new Mismatch("float " + ValueWriter.formatFloat(x) + " is out of range for float");
        }
        return (float) x;
      }
    } else if (v instanceof StringValue s) {
      if (t == String.class || t == Object.class || t == CharSequence.class) {
        return s.value();
      }
      if (t.isEnum()) {
        return enumConstant(s.value(), t);
      }
      if (t == Path.class) {
        return Path.of(s.value());
      }
      if (t == File.class) {
        return new File(s.value());
      }
      if (t == Character.class && s.value().length() == 1) {
        return s.value().charAt(0);
      }
    } else if (v instanceof BoolValue b) {
      if (t == Boolean.class || t == Object.class) {
        return b.value();
      }
    }
    throw new Mismatch(null);
  }

  private static long range(long x, long min, long max, String type) throws Mismatch {
    if (x < min || x > max) {
      throw new Mismatch("int " + x + " is out of range for " + type);
    }
    return x;
  }

  private static Object enumConstant(String name, Class<?> type) throws Mismatch {
    Object[] constants = type.getEnumConstants();
    List<String> names = new ArrayList<>();
    for (Object c : constants) {
      if (((Enum<?>) c).name().equals(name)) {
        return c;
      }
      names.add(((Enum<?>) c).name());
    }
    for (Object c : constants) {
      if (((Enum<?>) c).name().equalsIgnoreCase(name)) {
        return c;
      }
    }
    String hint = DidYouMean.suggest(name, names);
    throw new Mismatch("'" + name + "' is not a constant of " + type.getSimpleName()
        + (hint.isEmpty() ? " (constants: " + String.join(", ", names) + ")" : hint));
  }

  /** How a value reads in a mismatch message: {@code string 'abc'}, {@code int 3}, {@code list [1, 2]}. */
  static String describeValue(ConfigValue v) {
    String text = ValueWriter.write(v);
    if (text.length() > 60) {
      text = text.substring(0, 57) + "...";
    }
    String kind;
    if (v instanceof IntValue) {
      kind = "int";
    } else if (v instanceof FloatValue) {
      kind = "float";
    } else if (v instanceof StringValue) {
      kind = "string";
    } else if (v instanceof BoolValue) {
      kind = "bool";
    } else if (v instanceof ConfigValue.NoneValue) {
      return "None";
    } else if (v instanceof ConfigValue.ListValue) {
      kind = "list";
    } else if (v instanceof ConfigValue.TupleValue) {
      kind = "tuple";
    } else if (v instanceof ConfigValue.DictValue) {
      kind = "dict";
    } else {
      return text;
    }
    return kind + " " + text;
  }
}
