package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTableTest {
  @Test
  void numbersHaveFourSignificantDigits() {
    assertEquals("0.1235", MetricsTable.number(0.123456789));
    assertEquals("0.5000", MetricsTable.number(0.5));
    assertEquals("2.346", MetricsTable.number(2.3456));
    assertEquals("12.35", MetricsTable.number(12.3456));
    assertEquals("100.0", MetricsTable.number(100));
    assertEquals("-0.001000", MetricsTable.number(-0.001));
    assertEquals("99990", MetricsTable.number(99991.2));
    assertEquals("1.235e+06", MetricsTable.number(1234567));
    assertEquals("1.500e-05", MetricsTable.number(0.000015));
    assertEquals("0.000", MetricsTable.number(0));
    assertEquals("NaN", MetricsTable.number(Double.NaN));
    assertEquals("-Infinity", MetricsTable.number(Double.NEGATIVE_INFINITY));
  }

  @Test
  void namesAndValuesAreAligned() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("loss", 2.3456);
    metrics.put("classification/accuracy", 0.5);
    metrics.put("depth/abs_rel", 12.3456);
    assertEquals(String.join("\n",
        "  loss                      2.346",
        "  classification/accuracy  0.5000",
        "  depth/abs_rel             12.35"), MetricsTable.format(metrics));
  }

  @Test
  void emptyMetricsSaySo() {
    assertEquals("  (none)", MetricsTable.format(Map.of()));
  }
}
