package org.mustjava.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.experiments.finetune.CellResult;
import org.mustjava.experiments.finetune.GridCell;
import org.mustjava.experiments.finetune.GridCsv;
import org.mustjava.experiments.finetune.GridLayout;

/**
 * The results table from hand-made grid files: best cell per seed by each task's metric (higher or
 * lower is better, diverged cells never win, ties to the earlier cell), mean, sample sd and n over
 * seeds, the grid cells named, markdown/CSV/PNG outputs.
 */
class ResultsTableTest {
  @TempDir Path grid;
  static final GridLayout.TaskColumn CLS = new GridLayout.TaskColumn("cls", "classification/top1", true, List.of(0.1, 0.2), List.of(10L));
  static final GridLayout.TaskColumn DEPTH = new GridLayout.TaskColumn("depth", "depth/rmse", false, List.of(0.1, 0.2), List.of(10L));

  @BeforeEach
  void writeGrid() throws Exception {
    new GridLayout(List.of("must", "random"), List.of(CLS, DEPTH), List.of(1L, 2L, 3L)).write(grid);
    // must / cls (higher is better): best per seed 0.7 (lr 0.2), 0.6 (lr 0.1), 0.8 (lr 0.1; lr 0.2 diverged).
    cell("must", CLS, 0.1, 1, 0.5);
    cell("must", CLS, 0.2, 1, 0.7);
    cell("must", CLS, 0.1, 2, 0.6);
    cell("must", CLS, 0.2, 2, 0.4);
    cell("must", CLS, 0.1, 3, 0.8);
    diverged("must", CLS, 0.2, 3);
    // must / depth (lower is better): 1.0 (lr 0.2), 3.0 (lr 0.1), tie 2.0 -> the earlier cell (lr 0.1).
    cell("must", DEPTH, 0.1, 1, 2.0);
    cell("must", DEPTH, 0.2, 1, 1.0);
    cell("must", DEPTH, 0.1, 2, 3.0);
    cell("must", DEPTH, 0.2, 2, 4.0);
    cell("must", DEPTH, 0.1, 3, 2.0);
    cell("must", DEPTH, 0.2, 3, 2.0);
    // random: cls complete with one value for every seed; depth only one cell finished.
    for (long seed = 1; seed <= 3; seed++) {
      cell("random", CLS, 0.1, seed, 0.25);
      cell("random", CLS, 0.2, seed, 0.05);
    }
    cell("random", DEPTH, 0.2, 2, 5.5);
  }

  private void cell(String pretraining, GridLayout.TaskColumn task, double lr, long seed, double value) throws Exception {
    write(new CellResult(pretraining, task.name(), lr, 10, seed, CellResult.COMPLETE,
        Map.of(task.metric(), value, "other/metric", -1.0), "hash", 1.0));
  }

  private void diverged(String pretraining, GridLayout.TaskColumn task, double lr, long seed) throws Exception {
    write(new CellResult(pretraining, task.name(), lr, 10, seed, CellResult.DIVERGED, Map.of(), "hash", 1.0));
  }

  private void write(CellResult r) throws Exception {
    Path dir = grid.resolve(r.cell().relativeDirectory());
    Files.createDirectories(dir);
    r.write(dir);
  }

  @Test
  void selectsBestCellPerSeedAndSummarisesOverSeeds() throws Exception {
    ResultsTable table = ResultsTable.read(List.of(grid));
    assertEquals(List.of("must", "random"), table.pretrainings());
    assertEquals(List.of("cls", "depth"), table.columns().stream().map(ResultsTable.Column::task).toList());

    ResultsTable.Entry cls = table.entry("must", "cls").orElseThrow();
    assertEquals(3, cls.n());
    assertEquals(0.7, cls.mean(), 1e-12);
    assertEquals(0.1, cls.sd(), 1e-12); // sample sd of 0.7, 0.6, 0.8
    assertEquals(List.of(0.2, 0.1, 0.1), cls.best().stream().map(CellResult::learningRate).toList());
    assertTrue(cls.complete());

    ResultsTable.Entry depth = table.entry("must", "depth").orElseThrow();
    assertEquals(List.of(1.0, 3.0, 2.0), depth.best().stream().map(r -> r.value("depth/rmse")).toList());
    assertEquals(2.0, depth.mean(), 1e-12);
    assertEquals(1.0, depth.sd(), 1e-12);
    assertEquals(List.of(0.2, 0.1, 0.1), depth.best().stream().map(CellResult::learningRate).toList());

    ResultsTable.Entry randomCls = table.entry("random", "cls").orElseThrow();
    assertEquals(0.25, randomCls.mean(), 1e-12);
    assertEquals(0.0, randomCls.sd(), 1e-12);

    ResultsTable.Entry partial = table.entry("random", "depth").orElseThrow();
    assertEquals(1, partial.n());
    assertTrue(Double.isNaN(partial.sd()));
    assertFalse(partial.complete());
    assertEquals(1, partial.cellsDone());
    assertEquals(6, partial.cellsTotal());
  }

  @Test
  void markdownCsvAndChart() throws Exception {
    ResultsTable table = ResultsTable.read(List.of(grid));
    String md = ResultsMarkdown.format(table);
    assertTrue(md.contains("| pre-training | cls: classification/top1 \u2191 | depth: depth/rmse \u2193 |"), md);
    assertTrue(md.contains("| must | 0.7000 \u00b1 0.1000 (n=3) | 2.0000 \u00b1 1.0000 (n=3) |"), md);
    assertTrue(md.contains("| random | 0.2500 \u00b1 0.0000 (n=3) | 5.5000 (n=1) |"), md);
    assertTrue(md.contains("| must | seed 1: lr 0.2, 10 steps; seeds 2, 3: lr 0.1, 10 steps |"
        + " seed 1: lr 0.2, 10 steps; seeds 2, 3: lr 0.1, 10 steps |"), md);
    assertTrue(md.contains("random / depth: 1 of 6 cells"), md);

    String[] csv = ResultsCsv.format(table).split("\n");
    assertEquals("pretraining,cls classification/top1 mean,cls sd,cls n,cls grid cell,"
        + "depth depth/rmse mean,depth sd,depth n,depth grid cell", csv[0]);
    assertEquals("must,0.700000,0.100000,3,\"seed 1: lr 0.2, 10 steps; seeds 2, 3: lr 0.1, 10 steps\",2.00000,1.00000,3,"
        + "\"seed 1: lr 0.2, 10 steps; seeds 2, 3: lr 0.1, 10 steps\"", csv[1]);
    assertTrue(csv[2].startsWith("random,0.250000,0.00000,3,"), csv[2]);
    assertTrue(csv[2].endsWith(",5.50000,,1,seed 2: lr 0.2, 10 steps") || csv[2].endsWith(",5.50000,,1,\"seed 2: lr 0.2, 10 steps\""), csv[2]);

    Path png = grid.resolve("results.png");
    ResultsChart.write(table, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(2 * 420, image.getWidth());
    // Both pre-trainings' colours are drawn (bars and legend).
    assertTrue(countColour(image, 0x0072B2) > 500, "no bars of the first pre-training");
    assertTrue(countColour(image, 0xE69F00) > 500, "no bars of the second pre-training");
  }

  @Test
  void gridCsvMarksTheBestCellOfEachSeed() throws Exception {
    List<GridCell> cells = new GridLayout(List.of("must"), List.of(DEPTH), List.of(1L, 2L, 3L)).cells("must", DEPTH);
    Map<GridCell, CellResult> results = new java.util.HashMap<>();
    for (GridCell c : cells) CellResult.read(grid.resolve(c.relativeDirectory())).ifPresent(r -> results.put(c, r));
    String[] lines = GridCsv.format(cells, results, DEPTH).split("\n");
    assertEquals("learning_rate,steps,seed,status,depth/rmse,other/metric,best", lines[0]);
    assertEquals(List.of(
        "0.1,10,1,complete,2.0,-1.0,",
        "0.1,10,2,complete,3.0,-1.0,yes",
        "0.1,10,3,complete,2.0,-1.0,yes",
        "0.2,10,1,complete,1.0,-1.0,yes",
        "0.2,10,2,complete,4.0,-1.0,",
        "0.2,10,3,complete,2.0,-1.0,"), List.of(lines).subList(1, lines.length));
  }

  @Test
  void gridsMergeIntoOneTableAndOverlapsAreRefused(@TempDir Path other) throws Exception {
    GridLayout.TaskColumn nyu = new GridLayout.TaskColumn("nyu", "depth/delta1", true, List.of(0.1), List.of(10L));
    new GridLayout(List.of("simclr"), List.of(CLS, nyu), null).write(other);
    for (GridLayout.TaskColumn t : List.of(CLS, nyu)) {
      CellResult r = new CellResult("simclr", t.name(), 0.1, 10, null, CellResult.COMPLETE, Map.of(t.metric(), 0.3), "h", 1.0);
      Path dir = other.resolve(r.cell().relativeDirectory());
      Files.createDirectories(dir);
      r.write(dir);
    }
    ResultsTable table = ResultsTable.read(List.of(grid, other));
    assertEquals(List.of("must", "random", "simclr"), table.pretrainings());
    assertEquals(List.of("cls", "depth", "nyu"), table.columns().stream().map(ResultsTable.Column::task).toList());
    assertEquals(0.3, table.entry("simclr", "cls").orElseThrow().mean(), 1e-12);
    assertTrue(table.entry("must", "nyu").isEmpty());
    String md = ResultsMarkdown.resultsTable(table);
    assertTrue(md.contains("| simclr | 0.3000 |  | 0.3000 |"), md);
    assertTrue(md.contains("| must | 0.7000 \u00b1 0.1000 (n=3) | 2.0000 \u00b1 1.0000 (n=3) |  |"), md);

    java.io.IOException twice = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> ResultsTable.read(List.of(grid, grid)));
    assertTrue(twice.getMessage().contains("pre-training 'must' on task 'cls' is in two grids"), twice.getMessage());
  }

  private static int countColour(BufferedImage image, int rgb) {
    int n = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) n++;
    }
    return n;
  }
}
