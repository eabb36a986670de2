package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code tools/benchmark profile} on tiny workloads: both tables, every model part, plausible totals. */
class ProfileBenchmarkTest {

  static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = ProfileBenchmark.run(args, o, e);
    }
    return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void profilesTheMiniStudentAndAClassifierByPartAndOpType() {
    String[] r = run("--mini_batch", "2", "--mini_image_size", "32", "--resnet50_batch", "2", "--resnet50_image_size", "32",
        "--resnet50_depth", "18", "--resnet50_width", "0.25", "--scenes", "8", "--warmup_steps", "1", "--timed_steps", "1",
        "--traced_steps", "2", "--top", "5");
    assertEquals("0", r[0], r[2]);
    String out = r[1];
    // The mini student: forward and backward of every component it has, and the input.
    for (String part : new String[] {"backbone", "backbone (backward)", "fpn", "fpn (backward)", "head segmentation",
        "head segmentation (backward)", "head depth (backward)", "head normals", "head classification", "input"}) {
      assertTrue(Pattern.compile("\\| " + Pattern.quote(part) + " \\| [0-9.]+ \\| [0-9.]+ % \\|").matcher(out).find(),
          part + " missing in:\n" + out);
    }
    // Convolution gradients are among the op types, and the top-5 table ends with the rest.
    assertTrue(out.contains("| Conv2DBackpropFilter |"), out);
    assertTrue(Pattern.compile("\\| \\(\\d+ more\\) \\|").matcher(out).find(), out);
    // Shares of one table add up to 100 % (rounding aside).
    String miniParts = out.substring(out.indexOf("| model part |"), out.indexOf("| op type |"));
    Matcher m = Pattern.compile("\\| ([0-9.]+) % \\|").matcher(miniParts);
    double sum = 0;
    while (m.find()) sum += Double.parseDouble(m.group(1));
    assertEquals(100, sum, 1.0, miniParts);
    assertTrue(out.contains("### resnet50: ResNet-18 x0.25 classifier, batch 2, 32 px"), out);
  }

  @Test
  void gradientOpsAreRecognisedByTheirPrefix() {
    assertTrue(OpProfile.isGradient("gradients/Conv2DBackpropInput_3"));
    assertTrue(OpProfile.isGradient("gradients_1/AddN_2"));
    assertTrue(!OpProfile.isGradient("gradients_ready"));
    assertEquals("head segmentation", OpProfile.forwardPart("heads/segmentation/conv0/Conv2D"));
    assertEquals("backbone", OpProfile.forwardPart("tower_1/backbone/stem/conv/Conv2D"));
    assertEquals("optimiser", OpProfile.forwardPart("train/gradients_ready"));
  }

  @Test
  void badFlagsExitWithStatus2() {
    assertEquals("2", run("--workloads", "bert")[0]);
    assertEquals("2", run("--traced_steps", "0")[0]);
  }
}
