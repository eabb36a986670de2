package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

/** Shared assertions: an error is checked by its exact message and its line and column. */
final class ConfigAssertions {
  private ConfigAssertions() {}

  static void assertDiagnostic(Diagnostic d, String source, int line, int column, String message) {
    assertEquals(message, d.message(), () -> "message of " + d.format());
    assertEquals(source + ":" + line + ":" + column, d.position().toString(), () -> "position of " + d.format());
  }

  static void assertOnlyError(ConfigException e, String source, int line, int column, String message) {
    assertEquals(1, e.diagnostics().size(), e::getMessage);
    assertDiagnostic(e.first(), source, line, column, message);
  }

  /** The error loading {@code text} (as test.conf) against the fixtures must be exactly this one. */
  static ConfigException assertLoadError(String text, int line, int column, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.load(text));
    assertOnlyError(e, "test.conf", line, column, message);
    return e;
  }

  static List<Statement> parse(String text) {
    return Parser.parseStatements(Source.ofString("test.conf", text));
  }

  /** Parses {@code text} as one value and prints it back canonically. */
  static String roundTrip(String text) {
    return ValueWriter.write(Parser.parseValue(Source.ofString("value", text)));
  }
}
