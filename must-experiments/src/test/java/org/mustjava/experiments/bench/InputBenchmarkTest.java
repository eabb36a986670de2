package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tools/benchmark input} runs end to end with tiny settings (32 px, batch 2, a few steps)
 * and prints every table; which student each size gets. Numbers are only checked to be positive
 * (speed claims belong in BENCHMARKS.md, not in tests).
 */
class InputBenchmarkTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = InputBenchmark.run(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void tinyRunPrintsPipelineStepAndRatioTables() throws Exception {
    Path work = dir.resolve("work");
    Run r = run("--sizes", "32", "--parallelism", "1,2", "--small_batch", "2", "--small_scenes", "8",
        "--pipeline_seconds", "0", "--step_seconds", "0", "--min_steps", "2", "--rounds", "2",
        "--warmup_steps", "1", "--traced_seconds", "0", "--workdir", work.toString());
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(out.contains("load average (1/5/15 min): "), out);
    // Pipeline alone: one row per parallelism.
    for (String p : List.of("1", "2")) {
      assertTrue(positive(out, "\\| 32 \\| 2 \\| " + p + " \\| ([0-9.]+) \\|"), "pipeline row " + p + ":\n" + out);
    }
    // The step from constants and from the pipeline: 2 rounds of 1-step blocks each.
    String model = Pattern.quote(StudentModel.mini(BenchmarkScenes.NUM_CLASSES).description());
    assertTrue(positive(out, "\\| 32 \\| " + model + " \\| 2 \\| constant tensors \\| 2 \\| [0-9.]+ \\| [0-9.]+ \\| ([0-9.]+) \\|"), out);
    assertTrue(positive(out, "\\| 32 \\| " + model + " \\| 2 \\| pipeline \\(parallelism 2\\) \\| 2 \\| [0-9.]+ \\| [0-9.]+ \\| ([0-9.]+) \\| "
        + "[0-9.]+ ms \\([0-9.]+% of the step; 1 steps\\) \\|"), out);
    assertTrue(positive(out, "\\| 32 \\| 1 \\| ([0-9.]+) x \\| - \\|"), out);
    assertTrue(positive(out, "\\| 32 \\| 2 \\| [0-9.]+ x \\| ([0-9.]+) \\|"), out);
    // The scenes went to --workdir and were removed after use; the directory itself is kept.
    assertTrue(Files.isDirectory(work));
    try (var files = Files.list(work)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void eachSizeGetsItsStudent() {
    InputBenchmark.Flags f = new InputBenchmark.Flags();
    List<InputBenchmark.SizeSetting> s = InputBenchmark.settings(f);
    assertEquals(2, s.size());
    assertEquals(64, s.get(0).size());
    assertEquals(16, s.get(0).batch());
    assertEquals("ResNet-18 x0.25 + FPN (P2-P7, 32 ch) + cls/seg/depth/normals heads", s.get(0).model().description());
    assertEquals(640, s.get(1).size());
    assertEquals(1, s.get(1).batch());
    assertEquals("ResNet-50 + FPN (P2-P7, 256 ch) + cls/seg/depth/normals heads", s.get(1).model().description());
  }

  @Test
  void badFlagsExitWithStatus2() {
    assertEquals(2, run("--sizes", "4").code());
    assertEquals(2, run("--parallelism", "0").code());
    assertEquals(2, run("--no_such_flag").code());
    Run help = run("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().contains("--fed_parallelism"), help.out());
  }

  /** True if {@code regex} occurs in {@code text} and its group 1 is a positive number. */
  static boolean positive(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() && Double.parseDouble(m.group(1)) > 0;
  }
}
