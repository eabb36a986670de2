package org.mustjava.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.core.train.StepListener;
import org.mustjava.experiments.ExperimentRegistry;
import org.mustjava.experiments.Main;
import org.mustjava.experiments.RunContext;
import org.mustjava.experiments.launcher.Launcher;

/**
 * The stage cache on the real stages of {@code experiments/mini/smoke.conf}, shrunk to 4 training
 * steps on 8 scenes of 32 px: a training killed after a checkpoint resumes from it; a changed trainer
 * binding retrains from step 0 (old checkpoints superseded, not continued); a changed data binding
 * regenerates the data without leftover shards and retrains.
 */
class TrainStageCacheTest {
  @TempDir Path modelDir;

  private static final List<String> BASE = List.of(
      "STEPS = 4",
      "IMAGE_SIZE = 32",
      "BATCH = 4",
      "train/SyntheticDataset.num_scenes = 8",
      "train/SyntheticDataset.shards = 2",
      "eval/SyntheticDataset.num_scenes = 4",
      "Trainer.eval_every = 4",
      "Trainer.checkpoint_every = 2",
      "Trainer.log_every = 1",
      "Trainer.export_final = False",
      "Trainer.best_metric = ''");

  private String run(String... extra) {
    List<String> args = new ArrayList<>(List.of("--config", SmokeExperimentTest.CONFIG.toString(), "--model_dir", modelDir.toString()));
    for (String b : BASE) args.addAll(List.of("--binding", b));
    for (String b : extra) args.addAll(List.of("--binding", b));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    return text;
  }

  /** Runs the experiment in-process and "kills" training right after its step-2 checkpoint. */
  private void runKilledAfterFirstCheckpoint() throws Exception {
    ConfigRegistry registry = ConfigRegistry.fromServices();
    ExperimentRegistry.load(registry); // registers the experiments (Stages) as configurables
    ConfigLoader loader = new ConfigLoader(registry);
    loader.parseFile(SmokeExperimentTest.CONFIG);
    for (String b : BASE) loader.parseBinding(b);
    Injector injector = new Injector(loader.build());
    StagedExperiment experiment = (StagedExperiment) injector.create(Launcher.class).experiment();
    TrainStage train = (TrainStage) experiment.stages().get(1);
    train.trainer().addListener(new StepListener() {
      @Override
      public void onCheckpoint(long step) {
        throw new IllegalStateException("killed after the checkpoint of step " + step);
      }
    });
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    Exception e = assertThrows(Exception.class, () -> experiment.run(new RunContext(modelDir, injector, quiet, quiet)));
    assertTrue(String.valueOf(e.getMessage()).contains("killed after the checkpoint of step 2"), String.valueOf(e));
  }

  private long records(String glob) throws Exception {
    long n = 0;
    try (Stream<Path> s = Files.list(modelDir.resolve("data"))) {
      for (Path p : s.filter(f -> f.getFileName().toString().matches(glob)).toList()) n += TFRecordReader.readAll(p).size();
    }
    return n;
  }

  private List<String> shardNames() throws Exception {
    try (Stream<Path> s = Files.list(modelDir.resolve("data"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("train-")).sorted().toList();
    }
  }

  @Test
  void killedTrainingResumesAndChangedBindingsRetrainWithoutMixing() throws Exception {
    runKilledAfterFirstCheckpoint();
    Path stage = modelDir.resolve("smoke");
    assertTrue(Files.isDirectory(stage.resolve("checkpoints/ckpt-2")));
    assertFalse(Files.exists(stage.resolve(StageDirectory.COMPLETE)));

    String resumed = run();
    assertTrue(resumed.contains("== stage 1/2 data: cached"), resumed);
    assertTrue(resumed.contains("== stage 2/2 smoke: resumes: interrupted run, same fingerprint"), resumed);
    assertTrue(resumed.contains("(step 2)"), resumed); // the trainer's "resumed from ... (step 2)"
    assertTrue(resumed.contains("smoke: trained steps 3..4"), resumed);
    assertTrue(Files.isRegularFile(stage.resolve(StageDirectory.COMPLETE)));

    String cached = run();
    assertTrue(cached.contains("== stage 2/2 smoke: cached"), cached);
    assertFalse(cached.contains("step 1/"), cached);
    // Logging frequency is not part of the fingerprint.
    String relogged = run("Trainer.log_every = 3");
    assertTrue(relogged.contains("== stage 2/2 smoke: cached"), relogged);

    // A trainer binding: the data stays, training restarts from step 0 in a clean directory.
    String retrained = run("CosineDecay.rate = 0.02");
    assertTrue(retrained.contains("== stage 1/2 data: cached"), retrained);
    assertTrue(retrained.contains("== stage 2/2 smoke: runs: config changed: CosineDecay.rate: 0.05 -> 0.02"), retrained);
    assertFalse(retrained.contains("resumed from"), retrained);
    assertTrue(retrained.contains("smoke: trained steps 1..4"), retrained);
    assertTrue(Files.isDirectory(modelDir.resolve("superseded/smoke/checkpoints/ckpt-4")));
    assertTrue(Files.readString(stage.resolve(StageDirectory.CONFIG)).contains("CosineDecay.rate = 0.02"));

    // A data binding: new data in a clean directory (no shard of the old layout left), then a retrain.
    assertEquals(List.of("train-00000-of-00002", "train-00001-of-00002"), shardNames());
    String regenerated = run("CosineDecay.rate = 0.02", "train/SyntheticDataset.num_scenes = 12", "train/SyntheticDataset.shards = 1");
    assertTrue(regenerated.contains("== stage 1/2 data: runs: config changed: "), regenerated);
    assertTrue(regenerated.contains("== stage 2/2 smoke: runs: upstream 'data' changed"), regenerated);
    assertTrue(regenerated.contains("smoke: trained steps 1..4"), regenerated);
    assertEquals(List.of("train-00000-of-00001"), shardNames());
    assertEquals(12, records("train-.*"));
  }
}
