package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;
import static org.mustjava.core.config.ConfigAssertions.parse;
import static org.mustjava.core.config.ConfigAssertions.roundTrip;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mustjava.core.config.ConfigValue.FloatValue;
import org.mustjava.core.config.ConfigValue.IntValue;
import org.mustjava.core.config.ConfigValue.ReferenceValue;
import org.mustjava.core.config.ConfigValue.StringValue;

/** Every syntax feature, and every syntax error with its exact message and position. */
class ParserTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "3 | 3",
      "-7 | -7",
      "+7 | 7",
      "0 | 0",
      "1_000_000 | 1000000",
      "0x1F | 31",
      "0o17 | 15",
      "0b101 | 5",
      "-9223372036854775808 | -9223372036854775808",
      "0.5 | 0.5",
      "1e-4 | 1.0e-4",
      "1E5 | 100000.0",
      "-2.5e+3 | -2500.0",
      ".25 | 0.25",
      "3. | 3.0",
      "-0.0 | -0.0",
      "inf | inf",
      "-inf | -inf",
      "nan | nan",
      "True | True",
      "False | False",
      "None | None",
      "'single' | 'single'",
      "'it''s' | 'its'",
      "'a\\tb\\nc\\\\d' | 'a\\tb\\nc\\\\d'",
      "'\\x41\\u00e9\\U0001F600' | 'Aé😀'",
      "'\\101' | 'A'",
      "r'C:\\data\\n' | 'C:\\\\data\\\\n'",
      "'con' 'cat' \"enated\" | 'concatenated'",
      "[] | []",
      "[1, 2, 3,] | [1, 2, 3]",
      "() | ()",
      "(1) | 1",
      "(1,) | (1,)",
      "(1, 'a', None) | (1, 'a', None)",
      "{} | {}",
      "{'a': 1, 2: [3, (4,)], True: {'x': None},} | {'a': 1, 2: [3, (4,)], True: {'x': None}}",
      "[[1, [2, [3]]], {'k': (5, 6)}] | [[1, [2, [3]]], {'k': (5, 6)}]",
      "%SIZE | %SIZE",
      "%REQUIRED | %REQUIRED",
      "%gin.REQUIRED | %REQUIRED",
      "@Momentum | @Momentum",
      "@Momentum() | @Momentum()",
      "@teacher/Momentum() | @teacher/Momentum()",
      "@a/b/must.models.ResNet | @a/b/must.models.ResNet",
      "[@A(), {'opt': @B}] | [@A(), {'opt': @B}]",
  })
  void parsesValuesAndPrintsThemCanonically(String text, String printed) {
    assertEquals(printed, roundTrip(text));
    assertEquals(printed, roundTrip(printed), "printing is canonical: reparsing the output prints it again");
  }

  @Test
  void parsesNumbersToTheirExactValues() {
    assertEquals(1e-4, ((FloatValue) Parser.parseValue(Source.ofString("v", "1e-4"))).value());
    assertEquals(Long.MIN_VALUE, ((IntValue) Parser.parseValue(Source.ofString("v", "-9223372036854775808"))).value());
    assertTrue(Double.isNaN(((FloatValue) Parser.parseValue(Source.ofString("v", "nan"))).value()));
    assertEquals("'double'", roundTrip("\"double\""));
    assertEquals("'it\\'s'", roundTrip("\"it's\""));
    assertEquals("it's \"q\"\n", ((StringValue) Parser.parseValue(Source.ofString("v", "'''it's \"q\"\n'''"))).value());
  }

  @Test
  void parsesStatementsWithScopesModulesMacrosIncludesAndImports() {
    List<Statement> statements = parse(String.join("\n",
        "# a comment line",
        "import must.models  # gin files import Python modules",
        "from must import data, models",
        "include 'common/base.conf'",
        "SIZE = 640  # a macro",
        "Model.depth = 50",
        "teacher/Trainer.learning_rate = 0.32",
        "a/b/must.models.ResNet.depth = %SIZE",
        "   ",
        "Student.heads = [",
        "    @cls/TaskHead(),   # comment inside brackets",
        "    @det/TaskHead(),",
        "]",
        "Trainer.name = 'long' \\",
        "    'name'"));
    assertEquals(9, statements.size());
    assertEquals("import must.models", ((Statement.Import) statements.get(0)).text());
    assertEquals("from must import data, models", ((Statement.Import) statements.get(1)).text());
    Statement.Include include = (Statement.Include) statements.get(2);
    assertEquals("common/base.conf", include.path());
    assertEquals("test.conf:4:9", include.pathPosition().toString());
    Statement.MacroDefinition macro = (Statement.MacroDefinition) statements.get(3);
    assertEquals("SIZE", macro.name());
    assertEquals("640", ValueWriter.write(macro.value()));
    Statement.Binding scoped = (Statement.Binding) statements.get(5);
    assertEquals("teacher", scoped.scope());
    assertEquals("Trainer", scoped.name());
    assertEquals("learning_rate", scoped.param());
    assertEquals("test.conf:7:9", scoped.namePosition().toString());
    assertEquals("test.conf:7:17", scoped.paramPosition().toString());
    Statement.Binding nested = (Statement.Binding) statements.get(6);
    assertEquals("a/b", nested.scope());
    assertEquals("must.models.ResNet", nested.name());
    assertEquals("depth", nested.param());
    Statement.Binding list = (Statement.Binding) statements.get(7);
    assertEquals("[@cls/TaskHead(), @det/TaskHead()]", ValueWriter.write(list.value()));
    ReferenceValue second = (ReferenceValue) ((ConfigValue.ListValue) list.value()).items().get(1);
    assertEquals("det", second.scope());
    assertEquals("test.conf:12:5", second.position().toString());
    assertEquals("test.conf:12:10", second.namePosition().toString());
    Statement.Binding continued = (Statement.Binding) statements.get(8);
    assertEquals("'longname'", ValueWriter.write(continued.value()));
  }

  @Test
  void acceptsWindowsLineEndsAndTabs() {
    List<Statement> statements = parse("Model.depth = 1\r\n\tModel.width = [1,\r\n 2]\r\n");
    assertEquals(2, statements.size());
    assertEquals("test.conf:2:2", statements.get(1).position().toString());
  }

  @Test
  void namesCalledIncludeOrImportCanStillBeMacros() {
    assertInstanceOf(Statement.MacroDefinition.class, parse("include = 3").get(0));
    assertInstanceOf(Statement.MacroDefinition.class, parse("import = 3").get(0));
  }

  static Stream<Arguments> syntaxErrors() {
    return Stream.of(
        Arguments.of("A.b = 'abc", 1, 7, "unterminated string: add the closing ' (the file ends inside it)"),
        Arguments.of("A.b = '''abc\n\n", 1, 7, "unterminated string: add the closing ''' (the file ends inside it)"),
        Arguments.of("A.b = 'a\\qb'", 1, 9, "unknown escape sequence '\\q' (write '\\\\' for a backslash, or use a raw string r'...')"),
        Arguments.of("A.b = '\\x4'", 1, 8, "malformed escape sequence: expected 2 hex digits, got '4''"),
        Arguments.of("A.b = [1, 2", 1, 7, "unclosed '[': add the closing ']' (the file ends inside it)"),
        Arguments.of("A.b = {'a': (1, 2}\n", 1, 18, "'}' does not match the '(' at test.conf:1:13: close that one with ')' first"),
        Arguments.of("A.b = 1]\n", 1, 8, "unmatched ']': remove it, or add the opening '[' it closes"),
        Arguments.of("A.b 3", 1, 5, "expected '=' after 'A.b', found number 3 (write 'A.b = value')"),
        Arguments.of("A.b =", 1, 6, "expected a value, found end of line"),
        Arguments.of("A.b = true", 1, 7, "unexpected name 'true' as a value; the constants are True, False and None"),
        Arguments.of("A.b = relu", 1, 7, "unexpected name 'relu' as a value; strings need quotes ('relu'), macros are written %relu and references @relu"),
        Arguments.of("A.b = @Foo(1)", 1, 12, "a reference is called without arguments: @Foo(); bind its parameters instead (Foo.param = ...)"),
        Arguments.of("A.b = 1 C.d = 2", 1, 9, "expected end of line after the statement, found 'C' (one statement per line; a value continues over lines only inside brackets)"),
        Arguments.of("A.b = 007", 1, 7, "leading zeros are not allowed in '007' (write 0o7 for octal)"),
        Arguments.of("A.b = 1e", 1, 7, "malformed number '1e': exponent has no digits"),
        Arguments.of("A.b = 12abc", 1, 7, "malformed number '12abc'"),
        Arguments.of("A.b = 1__0", 1, 7, "malformed number '1__0': '_' must separate digits"),
        Arguments.of("A.b = 9223372036854775808", 1, 7, "integer 9223372036854775808 does not fit in 64 bits"),
        Arguments.of("A.b = 1e999", 1, 7, "float literal 1e999 is out of range (write inf for infinity)"),
        Arguments.of("A.b = -'x'", 1, 8, "expected a number after '-', found string 'x' (a sign applies to number literals only)"),
        Arguments.of("REQUIRED = 3", 1, 1, "REQUIRED is reserved and cannot be defined as a macro"),
        Arguments.of("A.b = {[1]: 2}", 1, 8, "dict keys must be strings, numbers or booleans"),
        Arguments.of("A.b = {'k': 1, 'k': 2}", 1, 16, "duplicate dict key 'k'"),
        Arguments.of("A.b = 1 ;", 1, 9, "unexpected character ';' (one statement per line: remove the ';')"),
        Arguments.of("\n\n  = 3", 3, 3, "expected a binding 'Name.param = value', a macro 'NAME = value' or 'include', found '='"),
        Arguments.of("A.b = 1 \\ 2", 1, 9, "unexpected '\\' (a backslash continues a line only at its very end: remove what follows it)"),
        Arguments.of("A.b = b'x'", 1, 7, "unsupported string prefix 'b' (only r'' and u'' exist here)"),
        Arguments.of("from a imports b", 1, 8, "expected 'import' in 'from ... import ...', found 'imports'"),
        Arguments.of("A.b = [1 2]", 1, 10, "expected ',' or ']' in list, found number 2 (missing ',' before it?)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("syntaxErrors")
  void reportsSyntaxErrorsAtTheirPosition(String text, int line, int column, String message) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(text));
    assertOnlyError(e, "test.conf", line, column, message);
  }

  @Test
  void formatsErrorsWithTheLineAndACaret() {
    ConfigException e = assertThrows(ConfigException.class, () -> parse("Model.depth = 50\n\tModel.width = tru\n"));
    assertEquals(String.join("\n",
        "test.conf:2:16: error: unexpected name 'tru' as a value; strings need quotes ('tru'), macros are written %tru and references @tru",
        "\tModel.width = tru",
        "\t              ^"), e.getMessage());
  }
}
