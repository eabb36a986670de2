package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.Trainers;
import org.tensorflow.SavedModelBundle;

/**
 * A run killed or failed during its export (checkpoints and metrics complete, {@code export/}
 * missing, maybe a stray temporary directory of the interrupted export) is finished by a rerun:
 * the rerun trains nothing but exports; a further rerun does nothing.
 */
class ExportRerunTest {
  @TempDir Path dir;

  static final String CONFIG = String.join("\n",
      "Trainer.steps = 6",
      "Trainer.seed = 3",
      "Trainer.checkpoint_every = 3",
      "Trainer.eval_every = 3",
      "Trainer.best_metric = 'regression/mae'",
      "Trainer.best_higher_is_better = False",
      "Trainer.export_final = True",
      "");

  private String train() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Trainers.fromConfig(CONFIG)
        .withLogger(new ProgressLogger(new PrintStream(out, true, StandardCharsets.UTF_8), false, 6))
        .train(new TinyConvTask(4, true, 11, 2), dir, "");
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void rerunFinishesAKilledExport() throws Exception {
    train();
    Path finalExport = dir.resolve("export/final");
    Path bestExport = dir.resolve("export/best");
    assertTrue(Files.isRegularFile(finalExport.resolve("saved_model.pb")));
    assertTrue(Files.isRegularFile(bestExport.resolve("saved_model.pb")));

    // What a kill during the exports leaves: no export/, a half-written temporary directory.
    deleteRecursively(dir.resolve("export"));
    Files.createDirectories(dir.resolve("export/.final.1234abcd.tmp/variables"));
    String rerun = train();
    assertFalse(rerun.contains("nothing to train"), rerun);
    assertTrue(rerun.contains("final export was missing"), rerun);
    assertTrue(rerun.contains("best export was missing"), rerun);
    assertTrue(Files.isRegularFile(finalExport.resolve("saved_model.pb")), rerun);
    assertTrue(Files.isRegularFile(bestExport.resolve("saved_model.pb")), rerun);
    assertFalse(Files.exists(dir.resolve("export/.final.1234abcd.tmp")), "the stale temporary is removed");
    try (SavedModelBundle model = SavedModelBundle.load(finalExport.toString(), SavedModelBundle.DEFAULT_TAG)) {
      assertTrue(model.signatures().stream().anyMatch(s -> s.key().equals("regression")), model.signatures().toString());
    }
    // The metrics were not recomputed: still the two evaluations of the first run.
    assertEquals(2, new MetricsFile(dir.resolve("metrics.json")).history().size());

    // Complete now: a rerun does nothing.
    long modified = Files.getLastModifiedTime(finalExport.resolve("saved_model.pb")).toMillis();
    String third = train();
    assertTrue(third.contains("nothing to train"), third);
    assertFalse(third.contains("exported"), third);
    assertEquals(modified, Files.getLastModifiedTime(finalExport.resolve("saved_model.pb")).toMillis());
  }

  private static void deleteRecursively(Path p) throws Exception {
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }

}
