package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code tools/benchmark resume} on a tiny run: one row per step with every time, and its flags. */
class ResumeBenchmarkTest {

  static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ResumeBenchmark.run(args, o, e);
    }
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void timesTheResumeFromEveryStepBothWays() {
    String[] r = run("--steps", "2", "--steps", "20", "--repeats", "1", "--scenes", "8", "--image_size", "8");
    assertEquals("0", r[0], r[2]);
    String out = r[1];
    String time = " [0-9]+\\.[0-9]{3} \\|";
    for (String row : new String[] {"\\| 2 \\| 8 \\| [0-9.]+ \\|", "\\| 20 \\| 80 \\| [0-9.]+ \\|"}) {
      assertTrue(Pattern.compile(row + time.repeat(4)).matcher(out).find(), row + " missing in:\n" + out);
    }
    assertTrue(out.contains("load average before: "), out);
  }

  @Test
  void badFlagsExitWithStatus2() {
    assertEquals("2", run("--steps", "0")[0]);
    assertEquals("2", run("--repeats", "0")[0]);
  }
}
