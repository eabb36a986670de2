package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code tools/benchmark scaleout} on a tiny batch: every variant prints a row. It runs in a child
 * JVM, because the chief's TF server it starts cannot be stopped in-process.
 */
class ScaleOutBenchmarkTest {

  @Test
  void everyVariantPrintsARow() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ScaleOutBenchmark.class.getName(), "--batch", "4", "--image_size", "32", "--scenes", "8", "--seconds", "0",
        "--min_steps", "1", "--warmup_steps", "1", "--rounds", "1");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the benchmark did not end");
    assertEquals(0, p.exitValue(), out);
    assertTrue(InputBenchmarkTest.positive(out, "\\| float32 \\| 1 process, float32 compute \\| 1 x 4 \\| 1 \\| [0-9.]+ \\| ([0-9.]+) \\| 1.00 \\|"), out);
    assertTrue(InputBenchmarkTest.positive(out, "\\| bfloat16 \\| 1 process, bfloat16 compute \\| 1 x 4 \\| 1 \\| [0-9.]+ \\| ([0-9.]+) \\|"), out);
    assertTrue(InputBenchmarkTest.positive(out, "\\| workers \\| 2 processes on loopback [^|]* \\| 2 x 2 \\| 1 \\| [0-9.]+ \\| ([0-9.]+) \\|"), out);
  }

  @Test
  void badFlagsExitWithStatus2() {
    assertEquals(2, run("--variants", "tpu"));
    assertEquals(2, run("--batch", "3"));
    assertEquals(2, run("--workers", "1"));
  }

  private static int run(String... args) {
    try (PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
      return ScaleOutBenchmark.run(args, o, e);
    }
  }
}
