package org.mustjava.core.config;

/**
 * A place in a config source: 1-based line and column (columns count UTF-16 characters, a tab is
 * one column). Prints as {@code FILE:LINE:COL}.
 */
public record Position(Source source, int line, int column) {
  @Override
  public String toString() {
    return source.name() + ":" + line + ":" + column;
  }
}
