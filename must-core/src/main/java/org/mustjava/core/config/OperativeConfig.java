package org.mustjava.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.mustjava.core.config.ConfigValue.DictValue;
import org.mustjava.core.config.ConfigValue.ListValue;
import org.mustjava.core.config.ConfigValue.StringValue;
import org.mustjava.core.config.ConfigValue.TupleValue;

/**
 * What one object's creation used ({@link Injector#operativeConfigOf}): the configurables called
 * or referenced while it was created, per scope, with the parameter values taken from bindings
 * and defaults (macros resolved). Immutable: a snapshot taken when the object was returned.
 */
public final class OperativeConfig {
  private final String text;
  private final List<String> strings;

  OperativeConfig(ConfigRegistry registry, Map<Injector.CallKey, TreeMap<String, ConfigValue>> recorded) {
    Map<Injector.CallKey, TreeMap<String, String>> written = new LinkedHashMap<>();
    List<String> found = new ArrayList<>();
    recorded.forEach((key, values) -> {
      TreeMap<String, String> text = new TreeMap<>();
      values.forEach((name, value) -> {
        text.put(name, ValueWriter.write(value));
        collectStrings(value, found);
      });
      written.put(key, text);
    });
    this.text = OperativeConfigWriter.blocks(registry, written, java.util.Map.of()).stripLeading();
    this.strings = Collections.unmodifiableList(found);
  }

  /**
   * The parameter blocks in the operative config's syntax (sorted, so equal configurations give
   * equal text), without the file header.
   */
  public String text() {
    return text;
  }

  /**
   * Every string literal among the values (list items and dict keys included), in no particular
   * order: e.g. the file patterns and directories the object was configured to read.
   */
  public List<String> strings() {
    return strings;
  }

  private static void collectStrings(ConfigValue v, List<String> out) {
    if (v instanceof StringValue s) {
      out.add(s.value());
    } else if (v instanceof ListValue l) {
      l.items().forEach(x -> collectStrings(x, out));
    } else if (v instanceof TupleValue t) {
      t.items().forEach(x -> collectStrings(x, out));
    } else if (v instanceof DictValue d) {
      d.entries().forEach(e -> {
        collectStrings(e.key(), out);
        collectStrings(e.value(), out);
      });
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
