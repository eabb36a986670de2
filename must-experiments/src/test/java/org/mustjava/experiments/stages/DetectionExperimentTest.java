package org.mustjava.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.train.MetricsFile;
import org.mustjava.experiments.Main;

/**
 * {@code experiments/mini/detection.conf} through the launcher, shortened by bindings: the detector
 * trains, evaluates over all 6 eval scenes with batch 4 (the last batch padded) and exports; after
 * the export is lost (as when a run is killed while exporting) a rerun trains nothing but exports.
 */
class DetectionExperimentTest {
  static final Path CONFIG = Path.of("..", "experiments", "mini", "detection.conf");
  @TempDir Path modelDir;

  private String run() {
    String[] args = {
        "--config", CONFIG.toString(), "--model_dir", modelDir.toString(),
        "--binding", "STEPS = 4",
        "--binding", "BATCH = 4",
        "--binding", "train/SyntheticDataset.num_scenes = 16",
        "--binding", "eval/SyntheticDataset.num_scenes = 6",
        "--binding", "Trainer.eval_every = 0",
        "--binding", "Trainer.checkpoint_every = 2",
        "--binding", "Trainer.log_every = 2"};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    return text;
  }

  @Test
  void detectorTrainsEvaluatesExportsAndARerunFinishesALostExport() throws Exception {
    String first = run();
    assertTrue(first.contains("step 4/4"), first);
    assertTrue(first.contains("eval at step 4 over 6 examples"), first);
    Path stage = modelDir.resolve("detector");
    Map<String, Double> m = new MetricsFile(stage.resolve("metrics.json")).latest().orElseThrow().metrics();
    assertTrue(m.containsKey("detection/voc_ap50") && m.containsKey("detection/coco_ap"), m.toString());
    assertTrue(Files.isRegularFile(stage.resolve("export/final/saved_model.pb")), first);

    try (Stream<Path> walk = Files.walk(stage.resolve("export"))) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    String second = run();
    assertFalse(second.contains("step 1/"), second);
    assertTrue(second.contains("final export was missing"), second);
    assertTrue(Files.isRegularFile(stage.resolve("export/final/saved_model.pb")), second);
    assertTrue(Files.isRegularFile(stage.resolve("export/best/saved_model.pb")), second);
  }
}
