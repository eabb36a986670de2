package org.mustjava.core.config;

import java.util.List;
import org.mustjava.core.config.ConfigValue.BoolValue;
import org.mustjava.core.config.ConfigValue.DictValue;
import org.mustjava.core.config.ConfigValue.Entry;
import org.mustjava.core.config.ConfigValue.FloatValue;
import org.mustjava.core.config.ConfigValue.IntValue;
import org.mustjava.core.config.ConfigValue.ListValue;
import org.mustjava.core.config.ConfigValue.MacroValue;
import org.mustjava.core.config.ConfigValue.NoneValue;
import org.mustjava.core.config.ConfigValue.ReferenceValue;
import org.mustjava.core.config.ConfigValue.RequiredValue;
import org.mustjava.core.config.ConfigValue.StringValue;
import org.mustjava.core.config.ConfigValue.TupleValue;

/**
 * Prints {@link ConfigValue}s in config syntax, canonically: parsing the output gives back an equal
 * value (floats print their shortest exact decimal form, strings are single-quoted with escapes).
 */
public final class ValueWriter {
  private ValueWriter() {}

  /** The value in config syntax. */
  public static String write(ConfigValue value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(ConfigValue value, StringBuilder out) {
    if (value instanceof IntValue v) {
      out.append(v.value());
    } else if (value instanceof FloatValue v) {
      out.append(formatFloat(v.value()));
    } else if (value instanceof StringValue v) {
      out.append(quote(v.value()));
    } else if (value instanceof BoolValue v) {
      out.append(v.value() ? "True" : "False");
    } else if (value instanceof NoneValue) {
      out.append("None");
    } else if (value instanceof ListValue v) {
      out.append('[');
      items(v.items(), out);
      out.append(']');
    } else if (value instanceof TupleValue v) {
      out.append('(');
      items(v.items(), out);
      if (v.items().size() == 1) {
        out.append(',');
      }
      out.append(')');
    } else if (value instanceof DictValue v) {
      out.append('{');
      List<Entry> entries = v.entries();
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out.append(", ");
        }
        write(entries.get(i).key(), out);
        out.append(": ");
        write(entries.get(i).value(), out);
      }
      out.append('}');
    } else if (value instanceof MacroValue v) {
      out.append('%').append(v.name());
    } else if (value instanceof RequiredValue) {
      out.append("%REQUIRED");
    } else if (value instanceof ConfigValue.ConstantValue v) {
      out.append('%').append(v.name());
    } else if (value instanceof ReferenceValue v) {
      out.append('@');
      if (!v.scope().isEmpty()) {
        out.append(v.scope()).append('/');
      }
      out.append(v.name());
      if (v.called()) {
        out.append("()");
      }
    } else {
      throw new IllegalArgumentException("unknown value " + value);
    }
  }

  private static void items(List<ConfigValue> items, StringBuilder out) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      write(items.get(i), out);
    }
  }

  /** Shortest text that parses back to exactly {@code v}: {@code 0.5}, {@code 1.0e-4}, {@code -inf}, {@code nan}. */
  public static String formatFloat(double v) {
    if (Double.isNaN(v)) {
      return "nan";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    return Double.toString(v).replace('E', 'e');
  }

  /** A single-quoted string literal with Python escapes for quotes, backslashes and control characters. */
  public static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('\'');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\':
          out.append("\\\\");
          break;
        case '\'':
          out.append("\\'");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\t':
          out.append("\\t");
          break;
        case '\r':
          out.append("\\r");
          break;
        default:
          if (c < 0x20 || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else if (Character.isSurrogate(c) && !isPairedSurrogate(s, i)) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isHighSurrogate(c)) {
            out.append(c).append(s.charAt(++i));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('\'').toString();
  }

  private static boolean isPairedSurrogate(String s, int i) {
    char c = s.charAt(i);
    return Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
  }
}
