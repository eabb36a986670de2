package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.Trainers;

class TrainerTest {
  @TempDir Path dir;

  static final String CONFIG = String.join("\n",
      "Trainer.steps = 40",
      "Trainer.seed = 3",
      "Trainer.learning_rate = @CosineDecay()",
      "CosineDecay.rate = 0.05",
      "CosineDecay.warmup_steps = 5",
      "Trainer.weight_decay = 1e-4",
      "Trainer.log_every = 10",
      "Trainer.summary_every = 5",
      "Trainer.image_summary_every = 20",
      "Trainer.checkpoint_every = 10",
      "Trainer.keep_checkpoints = 2",
      "Trainer.eval_every = 20",
      "Trainer.best_metric = 'regression/mae'",
      "Trainer.best_higher_is_better = False",
      "");

  @Test
  void trainsEvaluatesCheckpointsAndSkipsWhenDone() throws Exception {
    List<Double> totals = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Trainer trainer = Trainers.fromConfig(CONFIG)
        .withLogger(new ProgressLogger(new PrintStream(out, true, StandardCharsets.UTF_8), false, 40))
        .addListener(new StepListener() {
          @Override
          public void onStep(long step, java.util.Map<String, Double> losses, double lr) {
            totals.add(losses.get("total"));
          }
        });
    TrainResult r = trainer.train(new TinyConvTask(8, true, 11, 3), dir, "Trainer.steps = 40\n");
    assertEquals(0, r.startStep());
    assertEquals(40, r.stepsRun());
    assertEquals(40, totals.size());
    double first = (totals.get(0) + totals.get(1) + totals.get(2)) / 3;
    double last = (totals.get(37) + totals.get(38) + totals.get(39)) / 3;
    assertTrue(last < first * 0.7, "loss should fall: " + first + " -> " + last);

    String log = out.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("step 10/40"), log);
    assertTrue(log.contains("img/s"), log);
    assertTrue(log.contains("ETA"), log);
    assertTrue(log.contains("eval at step 20"), log);

    // Keep 2: steps 30 and 40 remain.
    var ckpts = new CheckpointManager(dir.resolve("checkpoints"), 2).checkpoints();
    assertEquals(List.of(30L, 40L), ckpts.stream().map(c -> c.step()).toList());
    assertTrue(Files.isRegularFile(dir.resolve("checkpoints/ckpt-40/manifest.json")));
    assertFalse(Files.exists(dir.resolve("checkpoints/ckpt-10")));
    assertTrue(Files.list(dir.resolve("train")).anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")));
    assertTrue(Files.list(dir.resolve("eval")).anyMatch(p -> p.getFileName().toString().startsWith("events.out.tfevents.")));
    MetricsFile metrics = new MetricsFile(dir.resolve("metrics.json"));
    assertEquals(List.of(20L, 40L), metrics.history().stream().map(MetricsFile.Evaluation::step).toList());
    assertTrue(metrics.latest().get().metrics().containsKey("regression/mae"));
    assertTrue(metrics.latest().get().metrics().containsKey("loss/regression"));
    assertTrue(metrics.best().isPresent());
    assertTrue(Files.isRegularFile(dir.resolve("export/best/saved_model.pb")));

    // Rerun: nothing to train.
    ByteArrayOutputStream out2 = new ByteArrayOutputStream();
    TrainResult again = Trainers.fromConfig(CONFIG)
        .withLogger(new ProgressLogger(new PrintStream(out2, true, StandardCharsets.UTF_8), false, 40))
        .train(new TinyConvTask(8, true, 11, 3), dir, "");
    assertEquals(0, again.stepsRun());
    assertTrue(out2.toString(StandardCharsets.UTF_8).contains("nothing to train"), out2.toString(StandardCharsets.UTF_8));
  }

  @Test
  void freshRunInitialisesTheBackboneFromAnotherCheckpoint() throws Exception {
    PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
    Trainers.fromConfig("Trainer.steps = 5\nTrainer.seed = 1\n")
        .withLogger(new ProgressLogger(quiet, false, 5))
        .train(new TinyConvTask(4, true, 1, 1), dir.resolve("pretrained"), "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Trainers.fromConfig(String.join("\n",
            "Trainer.steps = 2",
            "Trainer.seed = 2",
            "Trainer.init_from = @PartialRestore()",
            "PartialRestore.checkpoint = '" + dir.resolve("pretrained/checkpoints") + "'",
            "PartialRestore.prefixes = ['backbone/']",
            ""))
        .withLogger(new ProgressLogger(new PrintStream(out, true, StandardCharsets.UTF_8), false, 2))
        .train(new TinyConvTask(4, true, 1, 1), dir.resolve("finetune"), "");
    String log = out.toString(StandardCharsets.UTF_8);
    assertTrue(log.contains("initialised from " + dir.resolve("pretrained/checkpoints") + ": restored 5 variables"), log);
    // backbone/kernel and the four BatchNorm variables. A resumed run restores its own checkpoint instead.
    ByteArrayOutputStream again = new ByteArrayOutputStream();
    Trainers.fromConfig("Trainer.steps = 3\nTrainer.seed = 2\nTrainer.init_from = @PartialRestore()\n"
            + "PartialRestore.checkpoint = '/nonexistent'\nPartialRestore.prefixes = ['backbone/']\n")
        .withLogger(new ProgressLogger(new PrintStream(again, true, StandardCharsets.UTF_8), false, 3))
        .train(new TinyConvTask(4, true, 1, 1), dir.resolve("finetune"), "");
    assertTrue(again.toString(StandardCharsets.UTF_8).contains("resumed from"), again.toString(StandardCharsets.UTF_8));
  }
}
