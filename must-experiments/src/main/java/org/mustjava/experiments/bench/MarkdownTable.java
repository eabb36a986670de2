package org.mustjava.experiments.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table built row by row, printed as BENCHMARKS.md shows it. */
public final class MarkdownTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public MarkdownTable(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; cells are formatted with {@link String#valueOf}. */
  public MarkdownTable row(Object... cells) {
    if (cells.length != header.size()) {
      throw new IllegalArgumentException("row has " + cells.length + " cells, the header " + header.size());
    }
    List<String> r = new ArrayList<>();
    for (Object c : cells) r.add(String.valueOf(c));
    rows.add(r);
    return this;
  }

  public int size() {
    return rows.size();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    line(b, header);
    b.append('|');
    header.forEach(h -> b.append("---|"));
    b.append('\n');
    rows.forEach(r -> line(b, r));
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> cells) {
    b.append('|');
    cells.forEach(c -> b.append(' ').append(c).append(" |"));
    b.append('\n');
  }
}
