package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {

  @Test
  void printsHeaderSeparatorAndRows() {
    MarkdownTable t = new MarkdownTable("a", "b").row(1, "x").row(2.5, null);
    assertEquals("| a | b |\n|---|---|\n| 1 | x |\n| 2.5 | null |\n", t.toString());
    assertEquals(2, t.size());
  }

  @Test
  void rowMustMatchTheHeader() {
    assertThrows(IllegalArgumentException.class, () -> new MarkdownTable("a", "b").row(1));
  }

  @Test
  void numbersHaveThreeSignificantDigits() {
    assertEquals("3158", InputBenchmark.fmt(3157.7));
    assertEquals("28", InputBenchmark.fmt(28.04));
    assertEquals("5.91", InputBenchmark.fmt(5.9123));
    assertEquals("0.154", InputBenchmark.fmt(0.15437));
    assertEquals("0.00812", InputBenchmark.fmt(0.008123));
    assertEquals("0", InputBenchmark.fmt(0));
  }
}
