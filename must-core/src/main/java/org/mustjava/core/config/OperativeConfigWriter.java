package org.mustjava.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Prints the operative config: one block per configurable and scope, sorted by name then scope,
 * parameters sorted, values in config syntax (macros already resolved, references as {@code @Name}
 * or {@code @Name()}). Every value printed comes from config text (a binding or a {@link Default}),
 * so every value is writable; values Java callers pass are deliberately not printed. What a
 * configurable returned, when a number, boolean or map of named numbers, follows its header as a {@code # Returns:}
 * comment (not a binding: the value is derived, and feeding the file back derives it again).
 */
final class OperativeConfigWriter {
  private OperativeConfigWriter() {}

  static String write(ConfigRegistry registry, Map<Injector.CallKey, TreeMap<String, String>> used,
      Map<Injector.CallKey, ? extends SortedSet<String>> returned) {
    return "# Operative configuration: every configurable this run used, with every parameter value\n"
        + "# it used (bindings and defaults). Feed this file back to reproduce the configuration.\n"
        + blocks(registry, used, returned);
  }

  /**
   * The parameter blocks alone, without the header (each block starts with an empty line); a
   * configurable's computed result, where {@code returned} has one, is a {@code # Returns:} comment.
   */
  static String blocks(ConfigRegistry registry, Map<Injector.CallKey, TreeMap<String, String>> used,
      Map<Injector.CallKey, ? extends SortedSet<String>> returned) {
    List<Map.Entry<Injector.CallKey, TreeMap<String, String>>> groups = new ArrayList<>(used.entrySet());
    groups.sort(Comparator.comparing((Map.Entry<Injector.CallKey, TreeMap<String, String>> e) -> registry.displayName(e.getKey().configurable()))
        .thenComparing(e -> e.getKey().scope()));
    StringBuilder out = new StringBuilder();
    for (Map.Entry<Injector.CallKey, TreeMap<String, String>> group : groups) {
      String name = Scopes.prefix(group.getKey().scope()) + registry.displayName(group.getKey().configurable());
      out.append("\n# Parameters for ").append(name).append(":\n");
      out.append("# ").append("=".repeat(78)).append('\n');
      SortedSet<String> results = returned.get(group.getKey());
      if (results != null) {
        out.append("# Returns: ").append(String.join(", ", results)).append('\n');
      }
      if (group.getValue().isEmpty()) {
        out.append("# (no configurable parameters)\n");
      }
      for (Map.Entry<String, String> p : group.getValue().entrySet()) {
        out.append(name).append('.').append(p.getKey()).append(" = ").append(p.getValue()).append('\n');
      }
    }
    return out.toString();
  }
}
