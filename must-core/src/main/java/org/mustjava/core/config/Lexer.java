package org.mustjava.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.mustjava.core.config.Token.Kind;

/**
 * Splits config text into tokens, Python-style: {@code #} comments, newlines end statements except
 * inside brackets (or after a backslash), strings with single/double/triple quotes, {@code r''} raw
 * strings and Python escapes, numbers with {@code _} separators, {@code 0x/0o/0b} integers and
 * exponents.
 *
 * <p>Errors do not stop it: each is recorded, an {@link Kind#ERROR} token marks the place (so the
 * parser skips that statement without a second message) and lexing goes on, so that one run
 * reports every mistake in a file.
 */
final class Lexer {
  /**
   * A line that starts a statement ({@code key =}, a block header {@code Name:}, an include or
   * import). Such a line inside brackets means a bracket above was never closed: {@code =} never
   * occurs inside a value.
   */
  private static final Pattern STATEMENT_LINE = Pattern.compile("(?m)"
      + "[ \\t\\f]*(?:(?!(?:True|False|None)\\b)[A-Za-z_][\\w.]*(?:/[A-Za-z_][\\w.]*)*[ \\t]*(?:=(?!=)|:[ \\t]*(?:#.*)?$)"
          + "|(?:include|import|from)[ \\t]+['\"A-Za-z_])");

  private final Source source;
  private final String text;
  private int pos;
  private int line = 1;
  private int lineStart;
  private final java.util.ArrayDeque<Token> open = new java.util.ArrayDeque<>();
  private final List<Token> tokens = new ArrayList<>();
  private final List<Diagnostic> errors = new ArrayList<>();
  /** Lines with an error already: an unclosed bracket on them is not reported again. */
  private final Set<Integer> errorLines = new HashSet<>();

  private Lexer(Source source) {
    this.source = source;
    this.text = source.text();
  }

  /** The tokens of a source and the errors met on the way (ERROR tokens mark where). */
  record Lexed(List<Token> tokens, List<Diagnostic> errors) {}

  /** All tokens of {@code source}, ending with NEWLINE (if the last statement needs one) and EOF. */
  static Lexed lex(Source source) {
    Lexer lexer = new Lexer(source);
    lexer.run();
    return new Lexed(lexer.tokens, lexer.errors);
  }

  /**
   * Like {@link #lex} for a source that must be free of errors.
   *
   * @throws ConfigException with every lexical error
   */
  static List<Token> tokenize(Source source) {
    Lexed lexed = lex(source);
    if (!lexed.errors().isEmpty()) {
      throw new ConfigException(lexed.errors());
    }
    return lexed.tokens();
  }

  private Position here() {
    return new Position(source, line, pos - lineStart + 1);
  }

  private Position at(int offset) {
    return new Position(source, line, offset - lineStart + 1);
  }

  private ConfigException error(Position p, String message) {
    return new ConfigException(p, message);
  }

  private void newline() {
    line++;
    lineStart = pos;
  }

  /** Records an error and marks its place with an ERROR token. */
  private void report(Diagnostic d) {
    errors.add(d);
    if (d.position() != null) {
      errorLines.add(d.position().line());
      tokens.add(new Token(Kind.ERROR, "", d.position()));
    }
  }

  private void run() {
    while (pos < text.length()) {
      int before = pos;
      try {
        step();
      } catch (ConfigException e) {
        e.diagnostics().forEach(this::report);
        if (pos == before) {
          pos++; // Skip the offending character and go on.
        }
      }
    }
    while (!open.isEmpty()) {
      Token opener = open.pop();
      if (!errorLines.contains(opener.position().line())) {
        report(Diagnostic.error(opener.position(), "unclosed " + opener.kind().description + ": add the closing '"
            + closer(opener) + "' (the file ends inside it)"));
      }
    }
    if (!tokens.isEmpty() && !tokens.get(tokens.size() - 1).is(Kind.NEWLINE)) {
      tokens.add(new Token(Kind.NEWLINE, "\n", here()));
    }
    tokens.add(new Token(Kind.EOF, "", here()));
  }

  private static char closer(Token opener) {
    return opener.is(Kind.LBRACKET) ? ']' : opener.is(Kind.LPAREN) ? ')' : '}';
  }

  /**
   * Called at the start of each line inside brackets: a line that reads like a new statement means
   * the brackets still open were never closed. Reports that, closes them and ends the statement.
   */
  private void checkUnclosedBefore() {
    if (open.isEmpty() || !STATEMENT_LINE.matcher(text).region(pos, text.length()).lookingAt()) {
      return;
    }
    int lastLine = tokens.isEmpty() ? line - 1 : tokens.get(tokens.size() - 1).position().line();
    StringBuilder closers = new StringBuilder();
    Token outermost = null;
    boolean reported = false;
    for (Token opener : open) { // Innermost first.
      closers.append(closer(opener));
      outermost = opener;
      reported |= errorLines.contains(opener.position().line());
    }
    open.clear();
    if (!reported) {
      report(Diagnostic.error(outermost.position(), "unclosed " + outermost.kind().description + ": add '" + closers
          + "' at the end of line " + lastLine + " (line " + line + " starts a new statement)"));
    } else {
      tokens.add(new Token(Kind.ERROR, "", here()));
    }
    tokens.add(new Token(Kind.NEWLINE, "\n", here()));
  }

  /** Lexes one token (or skips space, a comment, a line end). */
  private void step() {
    char c = text.charAt(pos);
    if (c == '\n' || c == '\r') {
      Position p = here();
      pos += (c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') ? 2 : 1;
      if (open.isEmpty() && !tokens.isEmpty() && !tokens.get(tokens.size() - 1).is(Kind.NEWLINE)) {
        tokens.add(new Token(Kind.NEWLINE, "\n", p));
      }
      newline();
      checkUnclosedBefore();
    } else if (c == ' ' || c == '\t' || c == '\f') {
      pos++;
    } else if (c == '#') {
      while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
        pos++;
      }
    } else if (c == '\\') {
      // Explicit line continuation: backslash immediately followed by the line end.
      Position p = here();
      pos++;
      if (pos < text.length() && text.charAt(pos) == '\r') {
        pos++;
      }
      if (pos < text.length() && text.charAt(pos) == '\n') {
        pos++;
      } else if (pos < text.length()) {
        throw error(p, "unexpected '\\' (a backslash continues a line only at its very end: remove what follows it)");
      }
      newline();
      checkUnclosedBefore();
    } else if (isNameStart(c)) {
      lexNameOrString();
    } else if (c >= '0' && c <= '9'
        || c == '.' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1))) {
      lexNumber();
    } else if (c == '\'' || c == '"') {
      lexString(pos, false);
    } else {
      lexPunctuation(c);
    }
  }

  private static boolean isNameStart(char c) {
    return c == '_' || Character.isLetter(c);
  }

  private static boolean isNamePart(char c) {
    return c == '_' || Character.isLetterOrDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private void lexNameOrString() {
    int start = pos;
    while (pos < text.length() && isNamePart(text.charAt(pos))) {
      pos++;
    }
    String name = text.substring(start, pos);
    // Python's string prefixes (r, u, b, f and pairs); a longer name before a quote is a stray quote.
    if (pos < text.length() && (text.charAt(pos) == '\'' || text.charAt(pos) == '"') && name.matches("[rRuUbBfF]{1,2}")) {
      String prefix = name.toLowerCase(java.util.Locale.ROOT);
      if (prefix.equals("r") || prefix.equals("u")) {
        lexString(start, prefix.equals("r"));
        return;
      }
      throw error(at(start), "unsupported string prefix '" + name + "' (only r'' and u'' exist here)");
    }
    tokens.add(new Token(Kind.NAME, name, at(start)));
  }

  private void lexNumber() {
    int start = pos;
    Position p = here();
    if (text.startsWith("0x", pos) || text.startsWith("0X", pos)
        || text.startsWith("0o", pos) || text.startsWith("0O", pos)
        || text.startsWith("0b", pos) || text.startsWith("0B", pos)) {
      char base = Character.toLowerCase(text.charAt(pos + 1));
      int radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
      pos += 2;
      int digitsStart = pos;
      while (pos < text.length() && (Character.digit(text.charAt(pos), radix) >= 0 || text.charAt(pos) == '_')) {
        pos++;
      }
      String digits = text.substring(digitsStart, pos).replace("_", "");
      checkNumberEnd(p);
      if (digits.isEmpty()) {
        throw error(p, "malformed number '" + text.substring(start, pos) + "'");
      }
      // Normalised to decimal; the parser range-checks it.
      tokens.add(new Token(Kind.INT, new java.math.BigInteger(digits, radix).toString(), p));
      return;
    }
    boolean isFloat = false;
    digits();
    if (pos < text.length() && text.charAt(pos) == '.') {
      isFloat = true;
      pos++;
      digits();
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      isFloat = true;
      pos++;
      if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
        pos++;
      }
      if (pos >= text.length() || !isDigit(text.charAt(pos))) {
        throw error(p, "malformed number '" + text.substring(start, pos) + "': exponent has no digits");
      }
      digits();
    }
    checkNumberEnd(p);
    String literal = text.substring(start, pos);
    if (literal.contains("__") || literal.endsWith("_") || literal.contains("_.") || literal.contains("._")) {
      throw error(p, "malformed number '" + literal + "': '_' must separate digits");
    }
    String clean = literal.replace("_", "");
    if (!isFloat && clean.length() > 1 && clean.charAt(0) == '0' && !clean.matches("0+")) {
      throw error(p, "leading zeros are not allowed in '" + literal + "' (write 0o" + clean.replaceFirst("^0+", "") + " for octal)");
    }
    tokens.add(new Token(isFloat ? Kind.FLOAT : Kind.INT, clean, p));
  }

  private void digits() {
    while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
  }

  private void checkNumberEnd(Position p) {
    if (pos < text.length() && isNamePart(text.charAt(pos))) {
      int end = pos;
      while (end < text.length() && isNamePart(text.charAt(end))) {
        end++;
      }
      throw error(p, "malformed number '" + text.substring(p.column() - 1 + lineStart, end) + "'");
    }
  }

  /** Lexes a string starting at {@code start} (its prefix, if any, is before {@code pos}). */
  private void lexString(int start, boolean raw) {
    Position p = at(start);
    char quote = text.charAt(pos);
    boolean triple = text.startsWith(String.valueOf(quote).repeat(3), pos);
    pos += triple ? 3 : 1;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error(p, "unterminated string: add the closing " + (triple ? String.valueOf(quote).repeat(3) : String.valueOf(quote))
            + " (the file ends inside it)");
      }
      char c = text.charAt(pos);
      if (c == quote && (!triple || text.startsWith(String.valueOf(quote).repeat(3), pos))) {
        pos += triple ? 3 : 1;
        break;
      }
      if (c == '\n' || c == '\r') {
        if (!triple) {
          throw error(p, "unterminated string: add the closing " + quote + " (a string ends on its line; use '''...''' or"
              + " adjacent strings for longer text)");
        }
        out.append('\n');
        pos += (c == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') ? 2 : 1;
        newline();
        continue;
      }
      if (c == '\\') {
        if (raw) {
          // Raw strings keep the backslash; it still protects a following quote.
          out.append(c);
          pos++;
          if (pos < text.length() && (text.charAt(pos) == quote || text.charAt(pos) == '\\')) {
            out.append(text.charAt(pos));
            pos++;
          }
          continue;
        }
        try {
          escape(out);
        } catch (ConfigException e) {
          e.diagnostics().forEach(this::report); // The string goes on; the ERROR token voids the statement.
        }
        continue;
      }
      out.append(c);
      pos++;
    }
    tokens.add(new Token(Kind.STRING, out.toString(), p));
  }

  private void escape(StringBuilder out) {
    Position p = here();
    pos++;
    if (pos >= text.length()) {
      throw error(p, "unterminated string");
    }
    char e = text.charAt(pos);
    pos++;
    switch (e) {
      case '\n':
        newline();
        return;
      case '\r':
        if (pos < text.length() && text.charAt(pos) == '\n') {
          pos++;
        }
        newline();
        return;
      case '\\':
      case '\'':
      case '"':
        out.append(e);
        return;
      case 'n':
        out.append('\n');
        return;
      case 't':
        out.append('\t');
        return;
      case 'r':
        out.append('\r');
        return;
      case 'a':
        out.append('\u0007');
        return;
      case 'b':
        out.append('\b');
        return;
      case 'f':
        out.append('\f');
        return;
      case 'v':
        out.append('\u000b');
        return;
      case 'x':
        out.appendCodePoint(hex(p, 2));
        return;
      case 'u':
        out.appendCodePoint(hex(p, 4));
        return;
      case 'U':
        int cp = hex(p, 8);
        if (!Character.isValidCodePoint(cp)) {
          throw error(p, "invalid code point in escape \\U" + Integer.toHexString(cp));
        }
        out.appendCodePoint(cp);
        return;
      default:
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          for (int i = 0; i < 2 && pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '7'; i++) {
            value = value * 8 + (text.charAt(pos++) - '0');
          }
          out.append((char) value);
          return;
        }
        throw error(p, "unknown escape sequence '\\" + e + "' (write '\\\\' for a backslash, or use a raw string r'...')");
    }
  }

  private int hex(Position p, int n) {
    if (pos + n > text.length()) {
      throw error(p, "truncated escape sequence");
    }
    String digits = text.substring(pos, pos + n);
    if (!digits.matches("[0-9a-fA-F]+")) {
      throw error(p, "malformed escape sequence: expected " + n + " hex digits, got '" + digits + "'");
    }
    pos += n;
    return (int) Long.parseLong(digits, 16);
  }

  private void lexPunctuation(char c) {
    Position p = here();
    Kind kind;
    switch (c) {
      case '=':
        kind = Kind.EQUALS;
        break;
      case '.':
        kind = Kind.DOT;
        break;
      case '/':
        kind = Kind.SLASH;
        break;
      case ',':
        kind = Kind.COMMA;
        break;
      case ':':
        kind = Kind.COLON;
        break;
      case '@':
        kind = Kind.AT;
        break;
      case '%':
        kind = Kind.PERCENT;
        break;
      case '-':
        kind = Kind.MINUS;
        break;
      case '+':
        kind = Kind.PLUS;
        break;
      case '[':
        kind = Kind.LBRACKET;
        break;
      case '(':
        kind = Kind.LPAREN;
        break;
      case '{':
        kind = Kind.LBRACE;
        break;
      case ']':
      case ')':
      case '}':
        if (open.isEmpty()) {
          throw error(p, "unmatched '" + c + "': remove it, or add the opening '" + (c == ']' ? '[' : c == ')' ? '(' : '{')
              + "' it closes");
        }
        Token opener = open.pop();
        char expected = closer(opener);
        if (c != expected) {
          // If an outer bracket is the one closed, the inner ones were left open: close them all here.
          boolean closesOuter = open.stream().anyMatch(o -> closer(o) == c);
          while (closesOuter && closer(open.peek()) != c) {
            open.pop();
          }
          if (closesOuter) {
            open.pop();
          }
          throw error(p, "'" + c + "' does not match the " + opener.kind().description + " at " + opener.position()
              + ": close that one with '" + expected + "'" + (closesOuter ? " first" : ""));
        }
        kind = c == ']' ? Kind.RBRACKET : c == ')' ? Kind.RPAREN : Kind.RBRACE;
        break;
      default:
        throw error(p, "unexpected character '" + c + "'" + (c == ';' ? " (one statement per line: remove the ';')"
            : c == '*' || c == '<' || c == '>' || c == '&' || c == '|' || c == '^' || c == '~' ? " (values are literals: no arithmetic)" : ""));
    }
    pos++;
    Token token = new Token(kind, String.valueOf(c), p);
    if (kind == Kind.LBRACKET || kind == Kind.LPAREN || kind == Kind.LBRACE) {
      open.push(token);
    }
    tokens.add(token);
  }
}
