package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.config.Config;
import org.mustjava.core.config.ConfigException;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.tensorflow.types.TFloat32;

/**
 * {@code Pipeline} through the real config stack: the registry built from the META-INF/services
 * file, a {@code .conf} file parsed by {@link ConfigLoader}, objects made by the {@link Injector}.
 */
class PipelineConfigurablesTest {
  @TempDir Path dir;

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(PipelineConfigurablesTest.class.getResource(name).toURI());
  }

  private String dataPattern() throws IOException {
    TinyRecords.write(dir.resolve("data-00000-of-00001"), 0, 4);
    return dir.resolve("data-*").toString();
  }

  private static Config load(Path conf, String... bindings) {
    ConfigLoader loader = new ConfigLoader(ConfigRegistry.fromServices()).parseFile(conf);
    for (String b : bindings) {
      loader.parseBinding(b);
    }
    return loader.build();
  }

  /** The {@code # Parameters for NAME:} block of an operative config, without its header. */
  private static String block(String operative, String name) {
    Matcher m = Pattern.compile("# Parameters for " + Pattern.quote(name) + ":\n# =+\n((?:[^\n]+\n)+)")
        .matcher(operative);
    assertTrue(m.find(), "no block for " + name + " in\n" + operative);
    return m.group(1);
  }

  @Test
  void operativeConfigListsEveryParameterWithTheValueUsed() throws Exception {
    String data = dataPattern();
    Injector injector =
        new Injector(load(resource("pipeline.conf"), "DATA = '" + data + "'"));
    InputPipeline train = injector.create(InputPipeline.class);
    InputPipeline eval = injector.create(InputPipeline.class, "eval");
    String operative = injector.operativeConfig();

    // Every one of the 22 parameters, bound or defaulted, with the value the pipeline holds.
    assertEquals(String.join("\n",
            "Pipeline.batch_size = 2",
            "Pipeline.cycle_length = 4",
            "Pipeline.depth_format = 'raw_float32'",
            "Pipeline.deterministic = True",
            "Pipeline.eval_resize = 'pad'",
            "Pipeline.files = ['" + data + "']",
            "Pipeline.horizontal_flip = True",
            "Pipeline.image_size = 16",
            "Pipeline.max_boxes = 100",
            "Pipeline.mixed_in = []",
            "Pipeline.num_classes = 0",
            "Pipeline.original_labels = False",
            "Pipeline.pad_final_batch = False",
            "Pipeline.parallelism = 2",
            "Pipeline.prefetch = 2",
            "Pipeline.scale_jitter = [0.5, 2.0]",
            "Pipeline.seed = None",
            "Pipeline.shuffle_buffer = 1000",
            "Pipeline.skip_corrupt = False",
            "Pipeline.soft_labels = False",
            "Pipeline.tasks = ['classification', 'segmentation']",
            "Pipeline.training = True",
            ""),
        block(operative, "Pipeline"));
    String evalBlock = block(operative, "eval/Pipeline");
    assertEquals(22, evalBlock.lines().count(), evalBlock);
    assertTrue(evalBlock.contains("eval/Pipeline.training = False\n"), evalBlock);
    assertTrue(evalBlock.contains("eval/Pipeline.seed = 7\n"), evalBlock);
    assertTrue(evalBlock.contains("eval/Pipeline.batch_size = 2\n"), evalBlock);

    assertTrue(train.training());
    assertEquals(Set.of(LabelTypes.CLASSIFICATION, LabelTypes.SEGMENTATION), train.tasks());
    assertEquals(2, train.batchSize());
    assertEquals(16, train.imageSize());
    assertNull(train.seed());
    assertFalse(eval.training());
    assertEquals(7L, eval.seed());

    // The configured pipeline really runs with those values.
    try (BatchFetcher f = new BatchFetcher(train);
        BatchFetcher.Fetched b = f.next()) {
      TFloat32 image = b.get(InputBatch.IMAGE);
      assertArrayEquals(new long[] {2, 16, 16, 3}, image.shape().asArray());
      assertTrue(b.tensors().containsKey(InputBatch.SEGMENTATION));
      assertFalse(b.tensors().containsKey(InputBatch.BOXES));
    }

    // Feeding the operative config back rebuilds the same configuration.
    Path again = Files.writeString(dir.resolve("operative.conf"), operative);
    Injector replay = new Injector(load(again));
    replay.create(InputPipeline.class);
    replay.create(InputPipeline.class, "eval");
    assertEquals(operative, replay.operativeConfig());
  }

  @Test
  void defaultsInTheConfigAreTheBuilderDefaults() throws Exception {
    Path conf = Files.writeString(dir.resolve("minimal.conf"), "Pipeline.files = ['x-*']\n");
    InputPipeline configured = new Injector(load(conf)).create(InputPipeline.class);
    InputPipeline built = InputPipeline.builder(List.of("x-*"), Set.of(LabelTypes.CLASSIFICATION)).build();
    assertEquals(built.files(), configured.files());
    assertEquals(built.training(), configured.training());
    assertEquals(built.tasks(), configured.tasks());
    assertEquals(built.batchSize(), configured.batchSize());
    assertEquals(built.imageSize(), configured.imageSize());
    assertArrayEquals(built.scaleJitter(), configured.scaleJitter());
    assertEquals(built.horizontalFlip(), configured.horizontalFlip());
    assertEquals(built.shuffleBuffer(), configured.shuffleBuffer());
    assertEquals(built.cycleLength(), configured.cycleLength());
    assertEquals(built.parallelism(), configured.parallelism());
    assertEquals(built.prefetch(), configured.prefetch());
    assertEquals(built.maxBoxes(), configured.maxBoxes());
    assertEquals(built.seed(), configured.seed());
    assertEquals(built.deterministic(), configured.deterministic());
    assertEquals(built.numClasses(), configured.numClasses());
    assertEquals(built.softLabels(), configured.softLabels());
    assertEquals(built.depthFormat(), configured.depthFormat());
    assertEquals(built.padFinalBatch(), configured.padFinalBatch());
    assertEquals(built.mixedIn(), configured.mixedIn());
    assertEquals(built.evalResize(), configured.evalResize());
    assertEquals(built.originalLabels(), configured.originalLabels());
    assertEquals(built.skipCorrupt(), configured.skipCorrupt());
  }

  @Test
  void mixedInSourcesComeFromDataSourceBindings() throws Exception {
    Path conf = Files.writeString(dir.resolve("mixed.conf"), String.join("\n",
        "Pipeline.files = ['pseudo-*']",
        "Pipeline.tasks = ['classification', 'detection', 'segmentation']",
        "Pipeline.mixed_in = [@imagenet/DataSource(), @coco/DataSource()]",
        "imagenet/DataSource.files = ['/data/imagenet/train-*']",
        "imagenet/DataSource.labels = ['classification']",
        "coco/DataSource.files = ['coco/train-*']",
        "coco/DataSource.labels = ['detection', 'segmentation']",
        ""));
    Injector injector = new Injector(load(conf));
    InputPipeline p = injector.create(InputPipeline.class);
    assertEquals(List.of(
            new DataSource(List.of("/data/imagenet/train-*"), Set.of(LabelTypes.CLASSIFICATION), false, "raw_float32"),
            new DataSource(List.of("coco/train-*"), Set.of(LabelTypes.DETECTION, LabelTypes.SEGMENTATION), false,
                "raw_float32")),
        p.mixedIn());
    assertTrue(injector.operativeConfig().contains("coco/DataSource.labels = ['detection', 'segmentation']\n"),
        injector.operativeConfig());
    // Relative patterns resolve against a base directory (the model directory); absolute stay.
    assertEquals(List.of("/data/imagenet/train-*"), p.mixedIn().get(0).resolvedAgainst(Path.of("/runs/x")).files());
    assertEquals(List.of("/runs/x/coco/train-*"), p.mixedIn().get(1).resolvedAgainst(Path.of("/runs/x")).files());
  }

  @Test
  void badBindingsAreReportedAtTheirFileLineAndColumn() throws IOException {
    Path conf = Files.writeString(dir.resolve("bad.conf"), String.join("\n",
        "Pipeline.files = ['x-*']",
        "Pipeline.batch_sise = 4",
        "eval/Pipeline.image_size = 'large'",
        "Pipeline.scale_jitter = [0.5, 'two']",
        ""));
    ConfigException e = assertThrows(ConfigException.class, () -> load(conf));
    String message = e.getMessage();
    assertTrue(message.contains(conf + ":2:10: error: unknown parameter 'batch_sise' of Pipeline;"
        + " did you mean 'batch_size'?"), message);
    assertTrue(message.contains(conf + ":3:28: error: type mismatch: eval/Pipeline.image_size expects"
        + " int, got string 'large'"), message);
    assertTrue(message.contains(conf + ":4:31: error: type mismatch: Pipeline.scale_jitter[1]"
        + " expects double, got string 'two'"), message);
    assertEquals(3, e.diagnostics().size(), message);
  }

  @Test
  void invalidValuesFailWhenThePipelineIsMade() throws IOException {
    Path conf = Files.writeString(dir.resolve("values.conf"), String.join("\n",
        "Pipeline.files = ['x-*']",
        "tasks/Pipeline.tasks = ['depht']",
        "jitter/Pipeline.scale_jitter = [2.0, 1.0]",
        "jitter3/Pipeline.scale_jitter = [0.5, 1.0, 2.0]",
        "batch/Pipeline.batch_size = 0",
        ""));
    Injector injector = new Injector(load(conf));
    Map<String, String> expected = Map.of(
        "tasks", "depht", "jitter", "jitter", "jitter3", "scale_jitter", "batch", "batchSize");
    expected.forEach((scope, word) -> {
      RuntimeException e =
          assertThrows(RuntimeException.class, () -> injector.create(InputPipeline.class, scope));
      assertTrue(String.valueOf(e.getMessage()).contains(word), scope + ": " + e.getMessage());
    });
  }
}
