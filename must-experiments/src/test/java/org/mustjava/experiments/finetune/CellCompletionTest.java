package org.mustjava.experiments.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cell is complete only for the config it ran with; another config's outputs are deleted before it reruns. */
class CellCompletionTest {
  @TempDir Path cell;

  @Test
  void completeOnlyForTheSameConfig() throws Exception {
    String config = "Trainer.seed = 1\n";
    assertFalse(CellCompletion.begin(cell, config), "nothing to delete in a new cell");
    Files.createDirectories(cell.resolve("checkpoints/ckpt-5"));
    // Same config again (a resumed cell): its checkpoints stay.
    assertFalse(CellCompletion.begin(cell, config));
    assertTrue(Files.isDirectory(cell.resolve("checkpoints/ckpt-5")));
    new CellResult("p", "t", 0.1, 10, null, CellResult.COMPLETE, Map.of("m", 0.5), CellCompletion.hash(config), 1.0)
        .write(cell);
    assertTrue(CellCompletion.completed(cell, config).isPresent());

    String changed = "Trainer.seed = 2\n";
    assertTrue(CellCompletion.completed(cell, changed).isEmpty(), "a changed config makes the cell incomplete");
    assertTrue(CellCompletion.begin(cell, changed), "old outputs are deleted");
    assertFalse(Files.exists(cell.resolve("checkpoints")));
    assertFalse(Files.exists(cell.resolve(CellResult.FILE)));
    assertEquals(changed, Files.readString(cell.resolve(CellCompletion.CONFIG_FILE)));
  }

  @Test
  void directoryNamesFollowTheDesign() {
    assertEquals("0.005_5000", new GridCell("must", "cifar100", 0.005, 5000, java.util.Optional.empty()).directoryName());
    assertEquals("0.32_20000_seed3", new GridCell("must", "cifar100", 0.32, 20000, java.util.Optional.of(3L)).directoryName());
    assertEquals("0_2", new GridCell("must", "t", 0.0, 2, java.util.Optional.empty()).directoryName());
    assertEquals(Path.of("must", "cifar100", "0.1_5000"), new GridCell("must", "cifar100", 0.1, 5000, java.util.Optional.empty()).relativeDirectory());
  }
}
