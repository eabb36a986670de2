package org.mustjava.experiments.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointManager;

/**
 * Launcher processes on one grid ({@link GridWorkerMain}, random initialisation, segmentation):
 * a launcher killed with SIGKILL mid-cell is rerun and finishes the grid without retraining the
 * finished cell; two launchers started together share the grid, every cell trained exactly once.
 */
@Tag("slow") // three and two launcher JVMs; about a minute each on a quiet 2-core machine
class GridProcessesTest {
  private static final Pattern TRAINED = Pattern.compile("^finetune/(\\S+): fine-tuning ", Pattern.MULTILINE);
  @TempDir Path modelDir;

  @BeforeEach
  void generateData() throws Exception {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    GridWorkerMain.run(modelDir, "data", 0, List.of(), quiet, quiet);
  }

  @Test
  void killedLauncherResumesTheCellAndSkipsFinishedOnes() throws Exception {
    List<String> grid = List.of("FineTuneGrid.pretrainings = [@random/Pretraining()]", "LRS = [0.01, 0.02]",
        "STEPS = [20]");
    Path first = modelDir.resolve("finetune/random/seg/0.01_20");
    Path second = modelDir.resolve("finetune/random/seg/0.02_20");

    // First launcher: killed once the second cell has committed its step-5 checkpoint.
    Launched launched = start(grid, 100);
    Process p = launched.process();
    List<String> lines = new ArrayList<>();
    int inits = 0;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.equals("INIT")) inits++;
        if (inits == 2 && line.startsWith("CHECKPOINT ")) break;
      }
      p.destroyForcibly(); // SIGKILL
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    }
    assertEquals(137, p.exitValue(), "killed by SIGKILL: " + lines);
    assertTrue(CellResult.read(first).isPresent(), "the first cell finished before the kill");
    assertTrue(CellResult.read(second).isEmpty(), "the second cell was killed mid-way");
    assertTrue(Files.exists(CellClaim.fileFor(second)), "the dead launcher's claim is left behind");
    long resumeFrom = new CheckpointManager(second.resolve("checkpoints"), 1).latest().orElseThrow().step();
    assertTrue(resumeFrom >= 5 && resumeFrom < 20, "checkpoint " + resumeFrom);
    byte[] firstResult = Files.readAllBytes(first.resolve(CellResult.FILE));

    // Rerun: takes over the stale claim, resumes the second cell, leaves the first alone.
    Run rerun = finish(start(grid, 0));
    assertEquals(0, rerun.exit, rerun.err);
    assertTrue(rerun.err.contains("finetune/random/seg/0.01_20: complete, skipped"), rerun.err);
    assertTrue(rerun.err.contains("finetune/random/seg/0.02_20: took over a stale claim"), rerun.err);
    assertTrue(rerun.err.contains("resumed from"), rerun.err);
    assertFalse(rerun.out.contains("INIT"), "no cell may start over: " + rerun.out);
    List<Long> steps = rerun.out.lines().filter(l -> l.startsWith("STEP ")).map(l -> Long.parseLong(l.substring(5))).toList();
    assertEquals(resumeFrom + 1, steps.get(0));
    assertEquals(20 - resumeFrom, steps.size(), "only the interrupted cell's remaining steps are trained");
    assertEquals(List.of("random/seg/0.02_20"), trained(rerun.err));
    assertTrue(CellResult.read(second).isPresent());
    assertTrue(java.util.Arrays.equals(firstResult, Files.readAllBytes(first.resolve(CellResult.FILE))));
    assertFalse(Files.exists(CellClaim.fileFor(second)), "the claim is released");
    assertTrue(Files.readString(modelDir.resolve("finetune/random/seg/grid.csv")).lines()
        .skip(1).allMatch(l -> l.contains(",complete,")));
  }

  @Test
  void twoLaunchersShareTheGridAndTrainEveryCellOnce() throws Exception {
    List<String> grid = List.of("FineTuneGrid.pretrainings = [@random/Pretraining()]", "LRS = [0.01, 0.02]",
        "STEPS = [3]", "FineTuneGrid.seeds = [1, 2]");
    List<String> cells = List.of("random/seg/0.01_3_seed1", "random/seg/0.01_3_seed2", "random/seg/0.02_3_seed1",
        "random/seg/0.02_3_seed2");
    // B starts once A is training its first cell, so both find cells to claim.
    Launched a = start(grid, 500);
    BufferedReader aOut = new BufferedReader(new InputStreamReader(a.process().getInputStream(), StandardCharsets.UTF_8));
    StringBuilder aLines = new StringBuilder();
    String line;
    while ((line = aOut.readLine()) != null) {
      aLines.append(line).append('\n');
      if (line.equals("INIT")) break;
    }
    Launched b = start(grid, 500);
    Run rb = finish(b);
    aOut.lines().forEach(l -> aLines.append(l).append('\n')); // A prints a few short lines: no pipe stall meanwhile
    assertTrue(a.process().waitFor(300, TimeUnit.SECONDS));
    Run ra = new Run(a.process().exitValue(), aLines.toString(), Files.readString(a.stderr()));
    assertEquals(0, ra.exit, ra.err);
    assertEquals(0, rb.exit, rb.err);
    List<String> all = new ArrayList<>(trained(ra.err));
    all.addAll(trained(rb.err));
    Collections.sort(all);
    String who = "\nA: " + trained(ra.err) + "\nB: " + trained(rb.err);
    assertEquals(cells, all, "each cell trained exactly once across both launchers" + who);
    assertFalse(trained(ra.err).isEmpty() || trained(rb.err).isEmpty(), "both launchers trained cells" + who);
    for (String cell : all) {
      Path dir = modelDir.resolve("finetune").resolve(cell);
      CellResult result = CellResult.read(dir).orElseThrow();
      assertEquals(cell.endsWith("seed1") ? 1L : 2L, result.seed());
      assertFalse(Files.exists(CellClaim.fileFor(dir)), cell + " claim released");
    }
    // Both launchers end with the whole grid: each says so, and grid.csv lists every cell complete.
    assertTrue(ra.err.contains("all 4 cells complete") && rb.err.contains("all 4 cells complete"), ra.err + rb.err);
    List<String> csv = Files.readString(modelDir.resolve("finetune/random/seg/grid.csv")).lines().skip(1).toList();
    assertEquals(4, csv.size());
    assertTrue(csv.get(0).startsWith("0.01,3,1,complete,") && csv.get(1).startsWith("0.01,3,2,complete,"), csv.toString());
  }

  private static List<String> trained(String err) {
    List<String> out = new ArrayList<>();
    Matcher m = TRAINED.matcher(err);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  private record Run(int exit, String out, String err) {}

  /** A launcher process and the file its stderr goes to. */
  private record Launched(Process process, Path stderr) {}

  private Launched start(List<String> bindings, long sleepMs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), GridWorkerMain.class.getName(), modelDir.toString(), "grid",
        Long.toString(sleepMs)));
    cmd.addAll(bindings);
    Path stderr = Files.createTempFile(modelDir, "stderr", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr.toFile());
    return new Launched(pb.start(), stderr);
  }

  private static Run finish(Launched l) throws Exception {
    String out = new String(l.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(l.process().waitFor(300, TimeUnit.SECONDS));
    return new Run(l.process().exitValue(), out, Files.readString(l.stderr()));
  }
}
