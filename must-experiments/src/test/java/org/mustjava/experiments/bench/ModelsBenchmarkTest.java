package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code tools/benchmark models} runs with a tiny ResNet and prints both modes. */
class ModelsBenchmarkTest {

  static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ModelsBenchmark.run(args, o, e);
    }
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void tinyResNetForwardAndTrain() {
    String[] r = run("--depth", "18", "--width", "0.25", "--image_size", "32", "--batch", "2", "--classes", "5",
        "--seconds", "0", "--min_steps", "2", "--warmup_steps", "1", "--intra_op_threads", "1", "--inter_op_threads", "1");
    assertEquals("0", r[0], r[2]);
    for (String mode : new String[] {"forward", "train"}) {
      assertTrue(InputBenchmarkTest.positive(r[1],
          "\\| ResNet-18 x0.25, 5 classes \\| 32 \\| 2 \\| " + mode + " \\| 2 \\| [0-9.]+ \\| ([0-9.]+) \\| [0-9.]+ \\|"), r[1]);
    }
    assertTrue(r[1].contains("session threads: intra_op 1, inter_op 1"), r[1]);
  }

  @Test
  void jsonLinesCarryImagesPerSecondAndTheParameterCount() {
    String[] r = run("--depth", "18", "--width", "0.25", "--image_size", "32", "--batch", "2", "--classes", "5",
        "--modes", "train", "--seconds", "0", "--min_steps", "1", "--warmup_steps", "1", "--json");
    assertEquals("0", r[0], r[2]);
    // 702,741 = the ResNet-18 x0.25 backbone (702,096) + a 128 x 5 dense layer with bias; with 10 classes
    // 703,386, the count tools/bench-reference's Keras and PyTorch models print too.
    assertTrue(InputBenchmarkTest.positive(r[1], "\\{\"framework\": \"must-java\", \"workload\": \"resnet18\", "
        + "\"mode\": \"train\", \"images_per_s\": ([0-9.]+), \"accuracy\": null, \"params\": 702741, "
        + "\"timed_steps\": 1, \"batch\": 2, \"image_size\": 32, \"intra_op_threads\": 0, \"inter_op_threads\": 0\\}"), r[1]);
  }

  @Test
  void badFlagsExitWithStatus2() {
    assertEquals("2", run("--modes", "backward")[0]);
    assertEquals("2", run("--batch", "0")[0]);
  }
}
