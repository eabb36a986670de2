package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLoggerTest {
  @Test
  void plainLinesOffATerminalAndABarOnOne() {
    Map<String, Double> losses = new LinkedHashMap<>();
    losses.put("depth", 0.5);
    losses.put("total", 1.25);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    new ProgressLogger(new PrintStream(plain, true, StandardCharsets.UTF_8), false, 300).report(100, losses, 0.01, 42.5, 3725);
    assertEquals("step 100/300 depth=0.5000 total=1.250 lr=0.01000 42.5 img/s ETA 1:02:05\n",
        plain.toString(StandardCharsets.UTF_8));
    ByteArrayOutputStream term = new ByteArrayOutputStream();
    new ProgressLogger(new PrintStream(term, true, StandardCharsets.UTF_8), true, 300).report(150, losses, 0.01, 42.5, 10);
    String s = term.toString(StandardCharsets.UTF_8);
    assertTrue(s.startsWith("\r[############------------] step 150/300"), s);
    assertTrue(!s.endsWith("\n"), "redrawn in place");
  }
}
