package org.mustjava.core.config;

/**
 * A lexical token of the config language. For {@link Kind#STRING} {@code value} is the decoded
 * text; for numbers it is the literal without underscores; otherwise it is the source text.
 */
record Token(Kind kind, String value, Position position) {
  enum Kind {
    NAME("a name"),
    INT("an integer"),
    FLOAT("a float"),
    STRING("a string"),
    EQUALS("'='"),
    DOT("'.'"),
    SLASH("'/'"),
    COMMA("','"),
    COLON("':'"),
    LBRACKET("'['"),
    RBRACKET("']'"),
    LPAREN("'('"),
    RPAREN("')'"),
    LBRACE("'{'"),
    RBRACE("'}'"),
    AT("'@'"),
    PERCENT("'%'"),
    MINUS("'-'"),
    PLUS("'+'"),
    NEWLINE("end of line"),
    /** Where the lexer reported an error; the parser skips the statement without a second message. */
    ERROR("a malformed token"),
    EOF("end of file");

    final String description;

    Kind(String description) {
      this.description = description;
    }
  }

  boolean is(Kind k) {
    return kind == k;
  }

  boolean isName(String name) {
    return kind == Kind.NAME && value.equals(name);
  }

  /** How the token reads in an error message. */
  String describe() {
    switch (kind) {
      case NAME:
        return "'" + value + "'";
      case INT:
      case FLOAT:
        return "number " + value;
      case STRING:
        return "string " + ValueWriter.quote(value);
      default:
        return kind.description;
    }
  }
}
