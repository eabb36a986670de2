package org.mustjava.experiments.pseudolabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.experiments.testing.Launches;

/** {@code PseudoLabel} as a stage of a config run by the launcher; paths relative to the model directory. */
class PseudoLabelLauncherTest {
  @TempDir Path dir;

  @Test
  void stageRunsFromAConfigAndShowsInTheOperativeConfig() throws Exception {
    Path modelDir = dir.resolve("run");
    TestTeachers.detection(modelDir.resolve("teachers/det"), 32, new float[][] {{0.1f, 0.1f, 0.5f, 0.5f}},
        new float[] {0.8f}, new float[] {2});
    Fixtures.writeRecords(modelDir.resolve("data/unlabelled-00000-of-00002"),
        List.of(Fixtures.record(Fixtures.stripes(20, 30, PseudoLabelStageTest.RED), 20, 30, "a")));
    Fixtures.writeRecords(modelDir.resolve("data/unlabelled-00001-of-00002"),
        List.of(Fixtures.record(Fixtures.stripes(30, 20, PseudoLabelStageTest.BLUE), 30, 20, "b")));
    Path config = dir.resolve("label.conf");
    Files.writeString(config, """
        Launcher.experiment = @Stages()
        Stages.stages = [@PseudoLabel()]
        PseudoLabel.input_files = ['data/unlabelled-*']
        PseudoLabel.teachers = [@det/SavedModelTeacher()]
        det/SavedModelTeacher.task = 'detection'
        det/SavedModelTeacher.directory = 'teachers/det'
        det/SavedModelTeacher.outputs = {'boxes': 'detection_boxes', 'scores': 'detection_scores', 'classes': 'detection_classes'}
        """);
    String[] args = {"--config", config.toString(), "--model_dir", modelDir.toString()};
    assertTrue(run(args).contains("2 shards complete"));
    assertTrue(Files.isRegularFile(modelDir.resolve("pseudo_labels/train-00000-of-00002")));
    assertEquals("b", Fixtures.readExamples(modelDir.resolve("pseudo_labels/train-00001-of-00002")).get(0).sourceId());
    String operative = Files.readString(modelDir.resolve("operative_config.conf"));
    assertTrue(operative.contains("PseudoLabel.batch_size = 8"), operative);
    assertTrue(operative.contains("det/SavedModelTeacher.score_threshold = 0.5"), operative);
    String rerun = run(args);
    assertTrue(rerun.contains("pseudo_labels: cached"), "the stage cache skips a complete stage: " + rerun);
  }

  private static String run(String[] args) {
    return Launches.succeed(args);
  }

  @Test
  void theBeamEngineRunsFromTheLauncherAndItsRunnerOptionsKeepTheStageCached() throws Exception {
    Path modelDir = dir.resolve("run");
    TestTeachers.detection(modelDir.resolve("teachers/det"), 32, new float[][] {{0.1f, 0.1f, 0.5f, 0.5f}},
        new float[] {0.8f}, new float[] {2});
    Fixtures.writeRecords(modelDir.resolve("data/unlabelled-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(20, 30, PseudoLabelStageTest.RED), 20, 30, "a")));
    Path config = dir.resolve("label.conf");
    Files.writeString(config, """
        Launcher.experiment = @Stages()
        Stages.stages = [@PseudoLabel()]
        PseudoLabel.input_files = ['data/unlabelled-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        PseudoLabel.engine = 'beam'
        SavedModelTeacher.task = 'detection'
        SavedModelTeacher.directory = 'teachers/det'
        SavedModelTeacher.outputs = {'boxes': 'detection_boxes', 'scores': 'detection_scores', 'classes': 'detection_classes'}
        """);
    String first = run(new String[] {"--config", config.toString(), "--model_dir", modelDir.toString(),
        "--binding", "PseudoLabel.beam_options = ['--runner=DirectRunner', '--targetParallelism=1']"});
    assertTrue(first.contains("Beam pipeline") && first.contains("1 images"), first);
    assertEquals("a", Fixtures.readExamples(modelDir.resolve("pseudo_labels/train-00000-of-00001")).get(0).sourceId());
    assertTrue(Files.isRegularFile(modelDir.resolve("pseudo_labels/label_stats.json")));
    assertTrue(Files.readString(modelDir.resolve("operative_config.conf")).contains("PseudoLabel.engine = 'beam'"));
    // Other runner options label the same records: the stage stays cached.
    String second = run(new String[] {"--config", config.toString(), "--model_dir", modelDir.toString(),
        "--binding", "PseudoLabel.beam_options = ['--runner=DirectRunner', '--targetParallelism=2']"});
    assertTrue(second.contains("pseudo_labels: cached"), second);
  }
}
