package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mustjava.core.config.ConfigAssertions.assertDiagnostic;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;
import static org.mustjava.core.config.ConfigAssertions.parse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file's syntax errors are reported together, each once, at its place, with the likely fix. */
class SyntaxErrorReportTest {
  @Test
  void reportsEverySyntaxErrorOfAFileInOrder() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(String.join("\n",
        "Trainer.steps: 3",
        "Model.depth = [1, 2",
        "Model.width = relu",
        "Trainer:",
        "        steps = 3",
        "\tname = 'x'",
        "Model.activation = 'SWISH",
        "Kitchen.i = 1 2",
        "Kitchen.weights = {'a' = 1}",
        "Kitchen.str = 'fine'")));
    List<Diagnostic> d = e.diagnostics();
    assertEquals(7, d.size(), e::getMessage);
    assertDiagnostic(d.get(0), "test.conf", 1, 14, "expected '=' after 'Trainer.steps', found ':' (write 'Trainer.steps = value';"
        + " ':' starts a block, 'Name:' followed by indented 'param = value' lines)");
    assertDiagnostic(d.get(1), "test.conf", 2, 15, "unclosed '[': add ']' at the end of line 2 (line 3 starts a new statement)");
    assertDiagnostic(d.get(2), "test.conf", 3, 15,
        "unexpected name 'relu' as a value; strings need quotes ('relu'), macros are written %relu and references @relu");
    assertDiagnostic(d.get(3), "test.conf", 6, 2,
        "the lines of the block 'Trainer:' mix tabs and spaces in their indentation: indent them all alike, with spaces");
    assertDiagnostic(d.get(4), "test.conf", 7, 20,
        "unterminated string: add the closing ' (a string ends on its line; use '''...''' or adjacent strings for longer text)");
    assertDiagnostic(d.get(5), "test.conf", 8, 15, "expected end of line after the statement, found number 2 (one statement per line;"
        + " a value continues over lines only inside brackets)");
    assertDiagnostic(d.get(6), "test.conf", 9, 24, "expected ':' after a dict key, found '=' (dict entries are written key: value)");
  }

  @Test
  void statementsAfterAnUnclosedBracketStillParse() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("A.b = (1, 2\nC.d = 3\nE.f = [\n"));
    assertEquals(2, e.diagnostics().size(), e::getMessage);
    assertDiagnostic(e.diagnostics().get(0), "test.conf", 1, 7, "unclosed '(': add ')' at the end of line 1 (line 2 starts a new statement)");
    assertDiagnostic(e.diagnostics().get(1), "test.conf", 3, 7, "unclosed '[': add the closing ']' (the file ends inside it)");
    ConfigException block = assertThrows(ConfigException.class, () -> parse("A.b = [1,\nModel:  # a block\n  depth = x\n"));
    assertEquals(2, block.diagnostics().size(), block::getMessage);
    assertDiagnostic(block.diagnostics().get(0), "test.conf", 1, 7, "unclosed '[': add ']' at the end of line 1 (line 2 starts a new statement)");
    assertEquals(3, block.diagnostics().get(1).line(), block::getMessage);
    assertEquals("{True: 1}", ValueWriter.write(((Statement.Binding) parse("A.b = {\n  True:\n    1}").get(0)).value()));
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("A.b = {'k': [1,\n  2}\n")), "test.conf", 2, 4,
        "'}' does not match the '[' at test.conf:1:13: close that one with ']' first");
  }

  @Test
  void aLexicalErrorIsNotReportedAgainByTheParser() {
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("A.b = [1, $, 2]\nC.d = 3\n")), "test.conf", 1, 11,
        "unexpected character '$'");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("A.b = ['a\\qb', 'c'\nC.d = 3\n")), "test.conf", 1, 10,
        "unknown escape sequence '\\q' (write '\\\\' for a backslash, or use a raw string r'...')");
  }

  @Test
  void suggestsTheFixForCommonMistakes() {
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("A.b = [1 2]")), "test.conf", 1, 10,
        "expected ',' or ']' in list, found number 2 (missing ',' before it?)");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("A.b = relu.fn/x")), "test.conf", 1, 7,
        "unexpected name 'relu' as a value; strings need quotes ('relu.fn/x'), macros are written %relu.fn/x and references @relu.fn/x");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("A.b = Adam()")), "test.conf", 1, 7,
        "unexpected name 'Adam' as a value; a call is written @Adam() (a reference)");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("include base.gin")), "test.conf", 1, 9,
        "expected the included file as a quoted string, found 'base' (write include 'path/to/file.gin')");
  }

  @Test
  void anErrorNeverHidesTheNextStatementsError() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("REQUIRED = 3\nA.b = relu\nC.d = {'k': 1, 'k': 2}\nE.f = 1]\n"));
    assertEquals(List.of(1, 2, 3, 4), e.diagnostics().stream().map(Diagnostic::line).toList(), e::getMessage);
  }

  @Test
  void stopsAfterTwentyErrors() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("A.b = relu\n".repeat(30)));
    assertEquals(Parser.MAX_ERRORS + 1, e.diagnostics().size());
    assertEquals(20, e.diagnostics().get(19).line());
    assertEquals("note: stopped after 20 syntax errors in test.conf", e.diagnostics().get(20).format());
  }

  /** Damaged real files (a character dropped or inserted) give config errors with positions, nothing else. */
  @Test
  void damagedGinFilesFailOnlyWithPositionedConfigErrors() throws Exception {
    java.util.Random random = new java.util.Random(12);
    String inserts = "[](){}'\"=:\t\n%@/.,#\\";
    List<Path> files;
    try (java.util.stream.Stream<Path> walk = Files.walk(Path.of("src/test/resources/gin-corpus"))) {
      files = walk.filter(p -> p.toString().endsWith(".gin")).sorted().toList();
    }
    int failures = 0;
    for (Path file : files) {
      String text = Files.readString(file);
      for (int i = 0; i < 20 && !text.isEmpty(); i++) {
        int at = random.nextInt(text.length());
        String damaged = random.nextBoolean()
            ? text.substring(0, at) + text.substring(at + 1)
            : text.substring(0, at) + inserts.charAt(random.nextInt(inserts.length())) + text.substring(at);
        try {
          Parser.parseStatements(Source.ofString(file.getFileName().toString(), damaged));
        } catch (ConfigException e) {
          failures++;
          assertTrue(e.diagnostics().size() <= Parser.MAX_ERRORS + 1, e::getMessage);
          for (Diagnostic d : e.diagnostics()) {
            assertTrue(d.position() != null || d.severity() == Diagnostic.Severity.NOTE, e::getMessage);
          }
        }
      }
    }
    assertTrue(failures > 100, "most damage is a syntax error: " + failures);
  }

  @Test
  void parseFileReportsFileLineColumnAndCaretForEachError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.gin");
    Files.writeString(file, "Trainer.steps: 3\nModel.depth = tru\n");
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(Fixtures.registry()).parseFile(file));
    assertEquals(String.join("\n",
        file + ":1:14: error: expected '=' after 'Trainer.steps', found ':' (write 'Trainer.steps = value'; ':' starts a block,"
            + " 'Name:' followed by indented 'param = value' lines)",
        "Trainer.steps: 3",
        "             ^",
        file + ":2:15: error: unexpected name 'tru' as a value; strings need quotes ('tru'), macros are written %tru and references @tru",
        "Model.depth = tru",
        "              ^"), e.getMessage());
  }
}
