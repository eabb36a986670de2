package org.mustjava.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The text of one config source: a file, a {@code --binding} string, or a {@code @Default} value.
 * Keeps the lines so that errors can quote the offending line.
 */
public final class Source {
  private final String name;
  private final Path path;
  private final String text;
  private final String[] lines;
  private final Position includedFrom;

  /**
   * @param name what positions print, e.g. {@code experiments/mini/hello.conf} or {@code <binding 1>}
   * @param path the file, used to resolve relative includes; null for sources that are not files
   * @param text the whole text
   * @param includedFrom position of the {@code include} statement that pulled this file in, or null
   */
  public Source(String name, Path path, String text, Position includedFrom) {
    this.name = name;
    this.path = path;
    this.text = text;
    this.lines = text.split("\r\n|\r|\n", -1);
    this.includedFrom = includedFrom;
  }

  /** A source that is not a file (command-line binding, annotation value, test string). */
  public static Source ofString(String name, String text) {
    return new Source(name, null, text, null);
  }

  public String name() {
    return name;
  }

  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  public String text() {
    return text;
  }

  /** Line {@code n} (1-based) without its line terminator, or "" when out of range. */
  public String line(int n) {
    return n >= 1 && n <= lines.length ? lines[n - 1] : "";
  }

  /** Where this source was included from, or null for a top-level source. */
  public Position includedFrom() {
    return includedFrom;
  }

  @Override
  public String toString() {
    return name;
  }
}
