package org.mustjava.core.config;

/**
 * One message about a config: an error, a warning (e.g. an unused binding) or a note (e.g. an
 * ignored {@code import} line). Formats like a compiler message:
 *
 * <pre>
 * experiments/x.conf:3:1: error: unknown configurable 'Trainr'; did you mean 'Trainer'?
 * Trainr.steps = 10
 * ^
 * </pre>
 */
public record Diagnostic(Severity severity, Position position, String message) {
  /** How bad a diagnostic is; the lower-case name is printed. */
  public enum Severity {
    ERROR,
    WARNING,
    NOTE
  }

  public static Diagnostic error(Position position, String message) {
    return new Diagnostic(Severity.ERROR, position, message);
  }

  public static Diagnostic warning(Position position, String message) {
    return new Diagnostic(Severity.WARNING, position, message);
  }

  public static Diagnostic note(Position position, String message) {
    return new Diagnostic(Severity.NOTE, position, message);
  }

  /** 1-based line, or 0 when the diagnostic has no position. */
  public int line() {
    return position == null ? 0 : position.line();
  }

  /** 1-based column, or 0 when the diagnostic has no position. */
  public int column() {
    return position == null ? 0 : position.column();
  }

  /** The full text: header line, the offending source line with a caret, the include chain. */
  public String format() {
    String kind = severity.name().toLowerCase(java.util.Locale.ROOT);
    if (position == null) {
      return kind + ": " + message;
    }
    StringBuilder out = new StringBuilder();
    out.append(position).append(": ").append(kind).append(": ").append(message);
    String text = position.source().line(position.line());
    if (!text.isEmpty()) {
      out.append('\n').append(text).append('\n');
      // Keep tabs so that the caret lines up whatever the terminal's tab width.
      for (int i = 0; i < position.column() - 1 && i < text.length(); i++) {
        out.append(text.charAt(i) == '\t' ? '\t' : ' ');
      }
      out.append('^');
    }
    for (Position from = position.source().includedFrom();
        from != null;
        from = from.source().includedFrom()) {
      out.append("\n  included from ").append(from);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return format();
  }
}
