package org.mustjava.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration error: malformed syntax, an unknown name, a type mismatch, a missing value, a
 * registration mistake. The message lists every {@link Diagnostic} in compiler format
 * ({@code FILE:LINE:COL: error: ...}, the line, a caret). The launcher exits with status 2.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Diagnostic> diagnostics;

  public ConfigException(List<Diagnostic> diagnostics) {
    super(diagnostics.stream().map(Diagnostic::format).collect(Collectors.joining("\n")));
    this.diagnostics = List.copyOf(diagnostics);
  }

  public ConfigException(List<Diagnostic> diagnostics, Throwable cause) {
    this(diagnostics);
    initCause(cause);
  }

  /** One error at a position (null for errors that have no place in a source). */
  public ConfigException(Position position, String message) {
    this(List.of(Diagnostic.error(position, message)));
  }

  /** The diagnostics, in source order; at least one. */
  public List<Diagnostic> diagnostics() {
    return diagnostics;
  }

  /** The first diagnostic: the one a test usually asserts on. */
  public Diagnostic first() {
    return diagnostics.get(0);
  }
}
