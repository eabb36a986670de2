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
 * Recursive-descent parser: tokens to {@link Statement}s. Syntax only; names are checked against
 * the registry by {@link ConfigLoader}.
 *
 * <pre>
 * file      := (statement NEWLINE)*
 * statement := 'include' STRING+ | 'import' dotted ['as' NAME] | 'from' dotted 'import' names
 *            | key '=' value
 * key       := (NAME '/')* NAME ('.' NAME)*        one part: macro; more: [module.]Name.param
 * value     := STRING+ | ['-'|'+'] (INT | FLOAT | 'inf' | 'nan') | 'True' | 'False' | 'None'
 *            | '[' [value (',' value)* [',']] ']' | '(' ')' | '(' value ')' | '(' value ',' ... ')'
 *            | '{' [value ':' value (',' ...)* [',']] '}' | '%' dotted | '@' (NAME '/')* dotted ['(' ')']
 * </pre>
 */
final class Parser {
  private final List<Token> tokens;
  private int index;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  /** Parses a whole config source. */
  static List<Statement> parseStatements(Source source) {
    Parser parser = new Parser(Lexer.tokenize(source));
    List<Statement> statements = new ArrayList<>();
    while (!parser.peek().is(Kind.EOF)) {
      if (parser.peek().is(Kind.NEWLINE)) {
        parser.index++;
        continue;
      }
      statements.add(parser.statement());
      parser.expectEndOfStatement();
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

  private Statement statement() {
    Token first = peek();
    if (first.isName("include") && peek(1).is(Kind.STRING)) {
      next();
      Token pathToken = peek();
      String path = strings().value();
      return new Statement.Include(path, first.position(), pathToken.position());
    }
    if ((first.isName("import") || first.isName("from")) && peek(1).is(Kind.NAME)) {
      return importStatement();
    }
    if (!first.is(Kind.NAME)) {
      throw new ConfigException(first.position(), "expected a binding 'Name.param = value', a macro 'NAME = value' or 'include', found " + first.describe());
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
    Token eq = peek();
    if (!eq.is(Kind.EQUALS)) {
      throw new ConfigException(eq.position(), "expected '=' after '" + joinParts(parts) + "', found " + eq.describe());
    }
    next();
    ConfigValue value = value();
    if (parts.size() == 1) {
      if (scope.length() > 0) {
        throw new ConfigException(first.position(), "a macro cannot be scoped: '" + scope + "/" + nameStart.value()
            + "' (bindings are written Name.param, macros NAME)");
      }
      if (nameStart.value().equals("REQUIRED")) {
        throw new ConfigException(nameStart.position(), "REQUIRED is reserved and cannot be defined as a macro");
      }
      return new Statement.MacroDefinition(nameStart.value(), value, first.position());
    }
    Token param = parts.get(parts.size() - 1);
    String name = joinParts(parts.subList(0, parts.size() - 1));
    return new Statement.Binding(scope.toString(), name, param.value(), value,
        first.position(), nameStart.position(), param.position());
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
      text.append(" import ").append(expect(Kind.NAME, "after 'import'").value());
      while (peek().is(Kind.COMMA)) {
        next();
        text.append(", ").append(expect(Kind.NAME, "after ','").value());
      }
    } else if (peek().isName("as")) {
      next();
      text.append(" as ").append(expect(Kind.NAME, "after 'as'").value());
    }
    return new Statement.Import(text.toString(), first.position());
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
          throw new ConfigException(n.position(), "expected a number after '" + t.value() + "', found " + n.describe());
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
            hint = "; strings need quotes ('" + t.value() + "'), macros are written %" + t.value()
                + " and references @" + t.value();
        }
        throw new ConfigException(t.position(), "unexpected name '" + t.value() + "' as a value" + hint);
    }
  }

  /** Comma-separated values up to {@code close}; a trailing comma is allowed. */
  private List<ConfigValue> items(Kind close, String what) {
    List<ConfigValue> items = new ArrayList<>();
    while (!peek().is(close)) {
      items.add(value());
      if (peek().is(Kind.COMMA)) {
        next();
      } else if (!peek().is(close)) {
        throw new ConfigException(peek().position(), "expected ',' or " + close.description + " in " + what + ", found " + peek().describe());
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
      throw new ConfigException(peek().position(), "expected ',' or ')' in tuple, found " + peek().describe());
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
      expect(Kind.COLON, "after a dict key");
      entries.add(new Entry(key, value()));
      if (peek().is(Kind.COMMA)) {
        next();
      } else if (!peek().is(Kind.RBRACE)) {
        throw new ConfigException(peek().position(), "expected ',' or '}' in dict, found " + peek().describe());
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
    String dotted = dotted();
    if (dotted.equals("REQUIRED") || dotted.equals("gin.REQUIRED")) {
      return new RequiredValue(percent.position());
    }
    if (dotted.contains(".")) {
      throw new ConfigException(name.position(), "macro names have no dots: '%" + dotted + "'");
    }
    return new MacroValue(dotted, percent.position());
  }

  private ConfigValue reference() {
    Token at = next();
    StringBuilder scope = new StringBuilder();
    while (peek().is(Kind.NAME) && peek(1).is(Kind.SLASH)) {
      if (scope.length() > 0) {
        scope.append('/');
      }
      scope.append(next().value());
      next();
    }
    Token nameToken = peek();
    if (!nameToken.is(Kind.NAME)) {
      throw new ConfigException(nameToken.position(), "expected a configurable name after '@', found " + nameToken.describe());
    }
    String name = dotted();
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
