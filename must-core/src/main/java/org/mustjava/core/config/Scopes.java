package org.mustjava.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Scopes are slash-separated names ("" is the root). Calling {@code @b/Name()} while scope
 * {@code a} is active runs Name in scope {@code a/b}; a lookup in {@code a/b} tries {@code a/b},
 * then {@code a}, then the root: the innermost binding wins, outer ones are inherited.
 */
final class Scopes {
  private Scopes() {}

  /** {@code outer/inner}, with "" as the identity. */
  static String join(String outer, String inner) {
    if (outer.isEmpty()) {
      return inner;
    }
    return inner.isEmpty() ? outer : outer + "/" + inner;
  }

  /** The scope and its ancestors, innermost first, ending with the root "". */
  static List<String> innermostFirst(String scope) {
    List<String> out = new ArrayList<>();
    String s = scope;
    while (!s.isEmpty()) {
      out.add(s);
      int slash = s.lastIndexOf('/');
      s = slash < 0 ? "" : s.substring(0, slash);
    }
    out.add("");
    return out;
  }

  /** How a scope prefixes a name: "" or "a/b/". */
  static String prefix(String scope) {
    return scope.isEmpty() ? "" : scope + "/";
  }

  /** Checks a scope given by Java code ("a/b"). */
  static String validate(String scope) {
    if (scope == null) {
      return "";
    }
    if (!scope.isEmpty() && !scope.matches("[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw new IllegalArgumentException("malformed scope '" + scope + "': expected names separated by '/'");
    }
    return scope;
  }
}
