package org.mustjava.models.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.heads.TaskHead;
import org.mustjava.models.layers.Conv2d;
import org.mustjava.models.layers.Dense;
import org.tensorflow.Graph;

class ModelSummaryTest {
  private static final Path COMMON = Path.of("..", "experiments", "common");

  @Test
  void resnet50ClassifierConfigHasTheReferenceParameterCountAndFlops() {
    Path conf = COMMON.resolve("resnet50_classifier.conf");
    assertTrue(Files.isRegularFile(conf), conf.toAbsolutePath().toString());
    Result r = run("--config", conf.toString());
    assertEquals(0, r.status, r.err);
    assertTrue(r.out.contains("Total parameters: 25,557,032 "), r.out);
    assertTrue(r.out.contains("FLOPs per image at 224x224: "), r.out);
    // ResNet-50 at 224 px is usually quoted as ~4.09 G multiply-accumulates (conv + fc).
    long flops = flops(r.out, 224);
    assertTrue(flops > 2 * 4.08e9 && flops < 2 * 4.10e9, "FLOPs " + flops);
    // --image_size overrides the config. At 448 px every level is exactly twice as wide, so the
    // convolutions cost exactly 4x; the 2048 x 1000 classifier does not depend on the size.
    Result large = run("--config", conf.toString(), "--image_size=448");
    assertEquals(0, large.status, large.err);
    assertTrue(large.out.contains("Total parameters: 25,557,032 "), large.out);
    long fc = 2L * 2048 * 1000;
    assertEquals(4 * (flops - fc), flops(large.out, 448) - fc);
  }

  @Test
  void multitaskStudentConfigResolvesWithTheMustLossWeights() {
    Path conf = COMMON.resolve("resnet152_fpn_multitask.conf");
    var config = new ConfigLoader(ConfigRegistry.fromServices()).parseFile(conf).build();
    ModelSummary summary = new Injector(config).create(ModelSummary.class);
    assertEquals(640, summary.imageSize());
    var model = summary.model();
    assertEquals(List.of("classification", "detection", "segmentation", "depth"), model.heads().stream().map(TaskHead::name).toList());
    assertEquals(256 * 0.8 / (2048 * 0.32), model.lossWeight("classification"), 1e-12);
    assertEquals(1.0, model.lossWeight("detection"), 1e-12);
    assertEquals(1.0, model.lossWeight("segmentation"), 1e-12);
    assertEquals(256, model.decoder().numFilters());
  }

  @Test
  void badFlagsAndConfigsExitWithStatusTwo() {
    assertEquals(2, run().status);
    assertEquals(2, run("--config").status);
    assertEquals(2, run("--frobnicate", "3").status);
    Result missing = run("--config", "no/such.conf");
    assertEquals(2, missing.status);
    assertTrue(missing.err.contains("config file not found: no/such.conf"), missing.err);
    Result bad = run("--config", COMMON.resolve("resnet50_classifier.conf").toString(), "--binding", "ResNet.depth = 42");
    assertEquals(2, bad.status);
    assertTrue(bad.err.contains("ResNet.depth must be one of 18, 34, 50, 101, 152, 200, got 42"), bad.err);
    assertEquals(0, run("--help").status);
  }

  @Test
  void flopCounterCountsConvolutionsAndMatMulsFromShapes() {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      var tf = ctx.tf();
      var x = tf.zeros(tf.constant(new int[] {2, 9, 9, 3}), org.tensorflow.types.TFloat32.class);
      // 3x3 stride-2 conv, 3 -> 8 channels: output 2 x 5 x 5 x 8, each 3*3*3 MACs.
      var y = Conv2d.of(8, 3).withStride(2).apply(ctx.scope("a").scope("conv"), x);
      var pooled = tf.math.mean(y, tf.constant(new int[] {1, 2}));
      Dense.of(4).apply(ctx.scope("b").scope("dense"), pooled); // 2 x 8 x 4
      assertEquals(2L * 5 * 5 * 8 * 27, FlopCounter.macs(g, "a/"));
      assertEquals(2L * 8 * 4, FlopCounter.macs(g, "b/"));
      assertEquals(2L * 5 * 5 * 8 * 27 + 2 * 8 * 4, FlopCounter.macs(g, ""));
    }
  }

  private record Result(int status, String out, String err) {}

  private static long flops(String out, int size) {
    String key = "FLOPs per image at " + size + "x" + size + ": ";
    assertTrue(out.contains(key), out);
    return Long.parseLong(out.replaceAll("(?s).*" + key + "([0-9,]+).*", "$1").replace(",", ""));
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ModelSummary.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

}
