package org.mustjava.core.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
import org.mustjava.core.config.Token.Kind;

/**
 * Recursive-descent parser: tokens to {@link Statement}s, with gin's grammar. Syntax only; names
 * are checked against the registry by {@link ConfigLoader}.
 *
 * <pre>
 * file      := (statement NEWLINE)*
 * statement := 'include' STRING+ | 'import' dotted ['as' NAME]
 *            | 'from' dotted 'import' NAME ['as' NAME] (',' NAME ['as' NAME])*
 *            | key '=' value | key ':' NEWLINE block
 * key       := (NAME '/')* dotted     one part: macro [scope/]NAME; more: [scope/][module.]Name.param
 * block     := (NAME '=' value NEWLINE)+   each line indented alike, deeper than the 'key:' line
 * value     := STRING+ | ['-'|'+'] (INT | FLOAT | 'inf' | 'nan') | 'True' | 'False' | 'None'
 *            | '[' [value (',' value)* [',']] ']' | '(' ')' | '(' value ')' | '(' value ',' ... ')'
 *            | '{' [value ':' value (',' ...)* [',']] '}' | '%' selector | '@' selector ['(' ')']
 * selector  := (dotted '/')* dotted
 * dotted    := NAME ('.' NAME)*
 * </pre>
 *
 * <p>A syntax error does not stop the parser: it is recorded, the rest of the statement is skipped
 * and parsing goes on, so that a file's mistakes are reported together (up to {@link #MAX_ERRORS}).
 */
final class Parser {
  /** After this many syntax errors in one source the parser stops. */
  static final int MAX_ERRORS = 20;
  /** How a tab counts when indentations are compared (as in Python). */
  private static final int TAB_WIDTH = 8;

  private final List<Token> tokens;
  private final List<Diagnostic> errors = new ArrayList<>();
  private int index;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /**
   * Parses a whole config source.
   *
   * @throws ConfigException with every syntax error found (in source order, at most {@link #MAX_ERRORS})
   */
  static List<Statement> parseStatements(Source source) {
    Lexer.Lexed lexed = Lexer.lex(source);
    Parser parser = new Parser(lexed.tokens());
    parser.errors.addAll(lexed.errors());
    List<Statement> statements = parser.file();
    if (!parser.errors.isEmpty()) {
      throw new ConfigException(parser.sortedErrors());
    }
    return statements;
  }

  /** Parses a source that holds exactly one value (a {@code @Default} annotation). */
  static ConfigValue parseValue(Source source) {
    Parser parser = new Parser(Lexer.tokenize(source));
    while (parser.peek().is(Kind.NEWLINE)) {
      parser.index++;
    }
    if (parser.peek().is(Kind.EOF)) {
      throw new ConfigException(parser.peek().position(), "expected a value");
    }
    ConfigValue value = parser.value();
    while (parser.peek().is(Kind.NEWLINE)) {
      parser.index++;
    }
    if (!parser.peek().is(Kind.EOF)) {
      throw parser.unexpected("after the value");
    }
    return value;
  }

  private List<Statement> file() {
    List<Statement> statements = new ArrayList<>();
    while (!peek().is(Kind.EOF) && errors.size() < MAX_ERRORS) {
      if (peek().is(Kind.NEWLINE)) {
        index++;
        continue;
      }
      int start = index;
      try {
        statements.addAll(statement());
      } catch (ConfigException e) {
        recover(start, e);
      }
    }
    return statements;
  }

  /**
   * Skips the rest of a statement that failed to parse (from token {@code start}) and records its
   * error, unless the lexer already reported one there (an ERROR token).
   */
  private void recover(int start, ConfigException e) {
    boolean lexError = false;
    for (int i = start; i < tokens.size() && !tokens.get(i).is(Kind.EOF); i++) {
      if (tokens.get(i).is(Kind.ERROR)) {
        lexError = true;
      }
      if (tokens.get(i).is(Kind.NEWLINE) && i >= index) {
        break;
      }
    }
    while (!peek().is(Kind.NEWLINE) && !peek().is(Kind.EOF)) {
      next();
    }
    next();
    if (!lexError) {
      errors.addAll(e.diagnostics());
    }
  }

  private List<Diagnostic> sortedErrors() {
    List<Diagnostic> sorted = new ArrayList<>(errors);
    sorted.sort(java.util.Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column));
    if (sorted.size() > MAX_ERRORS) {
      sorted = new ArrayList<>(sorted.subList(0, MAX_ERRORS));
    }
    if (errors.size() >= MAX_ERRORS) {
      Position last = sorted.get(sorted.size() - 1).position();
      sorted.add(Diagnostic.note(null, "stopped after " + MAX_ERRORS + " syntax errors"
          + (last == null ? "" : " in " + last.source().name())));
    }
    return sorted;
  }

  private Token peek() {
    return tokens.get(index);
  }

  private Token peek(int ahead) {
    return tokens.get(Math.min(index + ahead, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(index);
    if (!t.is(Kind.EOF)) {
      index++;
    }
    return t;
  }

  private Token expect(Kind kind, String context) {
    Token t = peek();
    if (!t.is(kind)) {
      throw new ConfigException(t.position(), "expected " + kind.description + " " + context + ", found " + t.describe());
    }
    return next();
  }

  private ConfigException unexpected(String context) {
    Token t = peek();
    return new ConfigException(t.position(), "unexpected " + t.describe() + " " + context);
  }

  private void expectEndOfStatement() {
    Token t = peek();
    if (!t.is(Kind.NEWLINE) && !t.is(Kind.EOF)) {
      throw new ConfigException(t.position(), "expected end of line after the statement, found " + t.describe()
          + " (one statement per line; a value continues over lines only inside brackets)");
    }
    next();
  }

  /** One statement and its end of line; a binding block gives one binding per line. */
  private List<Statement> statement() {
    Token first = peek();
    if (first.isName("include") && !peek(1).is(Kind.EQUALS) && !peek(1).is(Kind.DOT) && !peek(1).is(Kind.SLASH)
        && !peek(1).is(Kind.COLON)) {
      next();
      Token pathToken = peek();
      if (!pathToken.is(Kind.STRING)) {
        throw new ConfigException(pathToken.position(), "expected the included file as a quoted string, found "
            + pathToken.describe() + " (write include 'path/to/file.gin')");
      }
      String path = strings().value();
      expectEndOfStatement();
      return List.of(new Statement.Include(path, first.position(), pathToken.position()));
    }
    if ((first.isName("import") || first.isName("from")) && peek(1).is(Kind.NAME)) {
      Statement s = importStatement();
      expectEndOfStatement();
      return List.of(s);
    }
    if (!first.is(Kind.NAME)) {
      throw new ConfigException(first.position(), "expected a binding 'Name.param = value', a macro 'NAME = value' or 'include', found "
          + first.describe());
    }
    // key := (NAME '/')* NAME ('.' NAME)*
    StringBuilder scope = new StringBuilder();
    while (peek().is(Kind.NAME) && peek(1).is(Kind.SLASH)) {
      if (scope.length() > 0) {
        scope.append('/');
      }
      scope.append(next().value());
      next();
    }
    Token nameStart = expect(Kind.NAME, "in the binding's name");
    List<Token> parts = new ArrayList<>();
    parts.add(nameStart);
    while (peek().is(Kind.DOT)) {
      next();
      parts.add(expect(Kind.NAME, "after '.'"));
    }
    String key = Scopes.prefix(scope.toString()) + joinParts(parts);
    Token eq = peek();
    if (eq.is(Kind.COLON)) {
      return block(first, scope.toString(), parts, key);
    }
    if (!eq.is(Kind.EQUALS)) {
      String hint = eq.is(Kind.NEWLINE) || eq.is(Kind.EOF) ? "" : " (write '" + key + " = value')";
      throw new ConfigException(eq.position(), "expected '=' after '" + key + "', found " + eq.describe() + hint);
    }
    next();
    if (parts.size() == 1 && scope.length() == 0 && nameStart.value().equals("REQUIRED")) {
      throw new ConfigException(nameStart.position(), "REQUIRED is reserved and cannot be defined as a macro");
    }
    ConfigValue value = value();
    expectEndOfStatement();
    if (parts.size() == 1) {
      // gin keys a scoped macro by its whole name: 'train/STEPS = 3' is read as %train/STEPS.
      return List.of(new Statement.MacroDefinition(key, value, first.position()));
    }
    Token param = parts.get(parts.size() - 1);
    String name = joinParts(parts.subList(0, parts.size() - 1));
    return List.of(new Statement.Binding(scope.toString(), name, param.value(), value,
        first.position(), nameStart.position(), param.position()));
  }

  /**
   * A binding block, as gin writes it: {@code Name:} then indented {@code param = value} lines,
   * each one binding of {@code Name}.
   */
  private List<Statement> block(Token first, String scope, List<Token> parts, String key) {
    Token colon = next();
    if (!peek().is(Kind.NEWLINE) && !peek().is(Kind.EOF)) {
      String message = "expected end of line after '" + key + ":', found " + peek().describe();
      if (parts.size() > 1) {
        message = "expected '=' after '" + key + "', found ':' (write '" + key + " = value'; ':' starts a block, 'Name:'"
            + " followed by indented 'param = value' lines)";
        throw new ConfigException(colon.position(), message);
      }
      throw new ConfigException(peek().position(), message + " (a block 'Name:' is followed by indented 'param = value' lines)");
    }
    next();
    String headerIndent = indentation(first);
    Token line = peek();
    if (line.is(Kind.EOF) || width(indentation(line)) <= width(headerIndent)) {
      errors.add(Diagnostic.error(line.is(Kind.EOF) ? colon.position() : line.position(),
          "expected indented 'param = value' lines after '" + key + ":' (or write '" + key + ".param = value')"));
      return List.of();
    }
    String blockIndent = indentation(line);
    List<Statement> bindings = new ArrayList<>();
    while (!peek().is(Kind.EOF) && width(indentation(peek())) > width(headerIndent) && errors.size() < MAX_ERRORS) {
      int start = index;
      try {
        bindings.add(blockLine(first, scope, parts, key, blockIndent));
      } catch (ConfigException e) {
        recover(start, e);
      }
    }
    return bindings;
  }

  private Statement blockLine(Token first, String scope, List<Token> parts, String key, String blockIndent) {
    Token param = peek();
    String indent = indentation(param);
    if (!indent.equals(blockIndent)) {
      String message = (indent.indexOf('\t') >= 0) != (blockIndent.indexOf('\t') >= 0) || indent.indexOf('\t') >= 0
          ? "the lines of the block '" + key + ":' mix tabs and spaces in their indentation: indent them all alike, with spaces"
          : "unexpected indentation: the lines of the block '" + key + ":' must line up with its first line";
      throw new ConfigException(param.position(), message);
    }
    if (!param.is(Kind.NAME)) {
      throw new ConfigException(param.position(), "expected a parameter name in the block '" + key + ":', found " + param.describe());
    }
    next();
    if (peek().is(Kind.DOT) || peek().is(Kind.SLASH)) {
      throw new ConfigException(peek().position(), "a line of the block '" + key + ":' binds one parameter: write 'param = value'"
          + " (no '" + peek().value() + "' in the name), or end the block by unindenting the line");
    }
    Token eq = peek();
    if (!eq.is(Kind.EQUALS)) {
      throw new ConfigException(eq.position(), "expected '=' after '" + param.value() + "' in the block '" + key + ":', found "
          + eq.describe() + " (block lines are 'param = value')");
    }
    next();
    ConfigValue value = value();
    expectEndOfStatement();
    return new Statement.Binding(scope, joinParts(parts), param.value(), value, param.position(), parts.get(0).position(),
        param.position());
  }

  /** The whitespace before {@code t}, which starts its line. */
  private static String indentation(Token t) {
    String text = t.position().source().line(t.position().line());
    return text.substring(0, Math.min(t.position().column() - 1, text.length()));
  }

  private static int width(String indentation) {
    int w = 0;
    for (int i = 0; i < indentation.length(); i++) {
      w = indentation.charAt(i) == '\t' ? (w / TAB_WIDTH + 1) * TAB_WIDTH : w + 1;
    }
    return w;
  }

  private static String joinParts(List<Token> parts) {
    StringBuilder out = new StringBuilder();
    for (Token t : parts) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(t.value());
    }
    return out.toString();
  }

  private Statement importStatement() {
    Token first = next();
    StringBuilder text = new StringBuilder(first.value()).append(' ').append(dotted());
    if (first.value().equals("from")) {
      Token imp = peek();
      if (!imp.isName("import")) {
        throw new ConfigException(imp.position(), "expected 'import' in 'from ... import ...', found " + imp.describe());
      }
      next();
      text.append(" import ").append(expect(Kind.NAME, "after 'import'").value()).append(alias());
      while (peek().is(Kind.COMMA)) {
        next();
        text.append(", ").append(expect(Kind.NAME, "after ','").value()).append(alias());
      }
    } else {
      text.append(alias());
    }
    return new Statement.Import(text.toString(), first.position());
  }

  /** An optional {@code as NAME}, as text. */
  private String alias() {
    if (!peek().isName("as")) {
      return "";
    }
    next();
    return " as " + expect(Kind.NAME, "after 'as'").value();
  }

  /** {@code (dotted '/')* dotted}: a possibly scoped name after '%' or '@'; gin allows dots in these scopes. */
  private String selector() {
    StringBuilder out = new StringBuilder(dotted());
    while (peek().is(Kind.SLASH)) {
      next();
      out.append('/').append(dotted());
    }
    return out.toString();
  }

  private String dotted() {
    StringBuilder out = new StringBuilder(expect(Kind.NAME, "in a dotted name").value());
    while (peek().is(Kind.DOT)) {
      next();
      out.append('.').append(expect(Kind.NAME, "after '.'").value());
    }
    return out.toString();
  }

  private StringValue strings() {
    Token first = expect(Kind.STRING, "");
    StringBuilder out = new StringBuilder(first.value());
    while (peek().is(Kind.STRING)) {
      out.append(next().value());
    }
    return new StringValue(out.toString(), first.position());
  }

  private ConfigValue value() {
    Token t = peek();
    switch (t.kind()) {
      case STRING:
        return strings();
      case INT:
      case FLOAT:
        return number("", t.position());
      case MINUS:
      case PLUS:
        next();
        Token n = peek();
        if (!n.is(Kind.INT) && !n.is(Kind.FLOAT) && !n.isName("inf") && !n.isName("nan")) {
          throw new ConfigException(n.position(), "expected a number after '" + t.value() + "', found " + n.describe()
              + " (a sign applies to number literals only)");
        }
        return number(t.is(Kind.MINUS) ? "-" : "", t.position());
      case NAME:
        return nameValue();
      case LBRACKET:
        next();
        return new ListValue(items(Kind.RBRACKET, "list"), t.position());
      case LPAREN:
        return parenthesised();
      case LBRACE:
        return dict();
      case PERCENT:
        return macro();
      case AT:
        return reference();
      case NEWLINE:
      case EOF:
        throw new ConfigException(t.position(), "expected a value, found " + t.describe());
      default:
        throw new ConfigException(t.position(), "expected a value, found " + t.describe());
    }
  }

  private ConfigValue number(String sign, Position position) {
    Token t = next();
    if (t.is(Kind.NAME)) {
      double v = t.value().equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN;
      return new FloatValue(sign.equals("-") ? -v : v, position);
    }
    if (t.is(Kind.FLOAT)) {
      double v = Double.parseDouble(t.value());
      if (Double.isInfinite(v)) {
        throw new ConfigException(t.position(), "float literal " + t.value() + " is out of range (write inf for infinity)");
      }
      return new FloatValue(sign.equals("-") ? -v : v, position);
    }
    BigInteger v = new BigInteger(sign + t.value());
    if (v.bitLength() > 63) {
      throw new ConfigException(position, "integer " + v + " does not fit in 64 bits");
    }
    return new IntValue(v.longValue(), position);
  }

  private ConfigValue nameValue() {
    Token t = peek();
    switch (t.value()) {
      case "True":
        next();
        return new BoolValue(true, t.position());
      case "False":
        next();
        return new BoolValue(false, t.position());
      case "None":
        next();
        return new NoneValue(t.position());
      case "inf":
      case "nan":
        return number("", t.position());
      default:
        String hint;
        switch (t.value()) {
          case "true":
          case "false":
          case "none":
          case "null":
            hint = "; the constants are True, False and None";
            break;
          default:
            String text = bareText();
            hint = peek().is(Kind.LPAREN)
                ? "; a call is written @" + text + "() (a reference)"
                : "; strings need quotes ('" + text + "'), macros are written %" + text + " and references @" + text;
        }
        throw new ConfigException(t.position(), "unexpected name '" + t.value() + "' as a value" + hint);
    }
  }

  /** The text of an unquoted name as written ({@code a.b/c}), consumed, for a hint. */
  private String bareText() {
    StringBuilder out = new StringBuilder(next().value());
    while ((peek().is(Kind.DOT) || peek().is(Kind.SLASH)) && peek(1).is(Kind.NAME)) {
      out.append(next().value()).append(next().value());
    }
    return out.toString();
  }

  /** Could {@code t} start a value (for the 'missing comma?' hint)? */
  private static boolean startsValue(Token t) {
    switch (t.kind()) {
      case STRING:
      case INT:
      case FLOAT:
      case NAME:
      case LBRACKET:
      case LPAREN:
      case LBRACE:
      case PERCENT:
      case AT:
        return true;
      default:
        return false;
    }
  }

  private ConfigException missingSeparator(Kind close, String what) {
    Token t = peek();
    String hint = startsValue(t) ? " (missing ',' before it?)" : "";
    if (t.is(Kind.EQUALS) && what.equals("dict")) {
      hint = " (dict entries are written key: value)";
    }
    return new ConfigException(t.position(), "expected ',' or " + close.description + " in " + what + ", found " + t.describe() + hint);
  }

  /** Comma-separated values up to {@code close}; a trailing comma is allowed. */
  private List<ConfigValue> items(Kind close, String what) {
    List<ConfigValue> items = new ArrayList<>();
    while (!peek().is(close)) {
      items.add(value());
      if (peek().is(Kind.COMMA)) {
        next();
      } else if (!peek().is(close)) {
        throw missingSeparator(close, what);
      }
    }
    next();
    return items;
  }

  private ConfigValue parenthesised() {
    Token open = next();
    if (peek().is(Kind.RPAREN)) {
      next();
      return new TupleValue(List.of(), open.position());
    }
    ConfigValue first = value();
    if (peek().is(Kind.RPAREN)) {
      next();
      return first; // (x) is just x, as in Python; (x,) is a tuple.
    }
    if (!peek().is(Kind.COMMA)) {
      throw missingSeparator(Kind.RPAREN, "tuple");
    }
    next();
    List<ConfigValue> items = new ArrayList<>();
    items.add(first);
    items.addAll(items(Kind.RPAREN, "tuple"));
    return new TupleValue(items, open.position());
  }

  private ConfigValue dict() {
    Token open = next();
    List<Entry> entries = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    while (!peek().is(Kind.RBRACE)) {
      ConfigValue key = value();
      if (!(key instanceof StringValue || key instanceof IntValue || key instanceof FloatValue || key instanceof BoolValue)) {
        throw new ConfigException(key.position(), "dict keys must be strings, numbers or booleans");
      }
      if (!keys.add(ValueWriter.write(key))) {
        throw new ConfigException(key.position(), "duplicate dict key " + ValueWriter.write(key));
      }
      if (!peek().is(Kind.COLON)) {
        String hint = peek().is(Kind.EQUALS) ? " (dict entries are written key: value)" : "";
        throw new ConfigException(peek().position(), "expected ':' after a dict key, found " + peek().describe() + hint);
      }
      next();
      entries.add(new Entry(key, value()));
      if (peek().is(Kind.COMMA)) {
        next();
      } else if (!peek().is(Kind.RBRACE)) {
        throw missingSeparator(Kind.RBRACE, "dict");
      }
    }
    next();
    return new DictValue(entries, open.position());
  }

  private ConfigValue macro() {
    Token percent = next();
    Token name = peek();
    if (!name.is(Kind.NAME)) {
      throw new ConfigException(name.position(), "expected a macro name after '%', found " + name.describe());
    }
    // %scope/NAME names a scoped macro; %module.NAME and %module.Enum.MEMBER name constants.
    String selector = selector();
    if (selector.equals("REQUIRED") || selector.equals("gin.REQUIRED")) {
      return new RequiredValue(percent.position());
    }
    return new MacroValue(selector, percent.position());
  }

  private ConfigValue reference() {
    Token at = next();
    if (!peek().is(Kind.NAME)) {
      throw new ConfigException(peek().position(), "expected a configurable name after '@', found " + peek().describe());
    }
    StringBuilder scope = new StringBuilder();
    Token nameToken = peek();
    String name = dotted();
    while (peek().is(Kind.SLASH)) {
      next();
      scope.append(scope.length() > 0 ? "/" : "").append(name);
      nameToken = peek();
      name = dotted();
    }
    boolean called = false;
    if (peek().is(Kind.LPAREN)) {
      Token open = next();
      if (!peek().is(Kind.RPAREN)) {
        throw new ConfigException(peek().position(), "a reference is called without arguments: @" + name
            + "(); bind its parameters instead (" + name + ".param = ...)");
      }
      next();
      called = true;
      assert open != null;
    }
    return new ReferenceValue(scope.toString(), name, called, at.position(), nameToken.position());
  }
}
