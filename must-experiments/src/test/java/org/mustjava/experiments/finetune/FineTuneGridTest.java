package org.mustjava.experiments.finetune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointInfo;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.checkpoint.CheckpointManifest;
import org.mustjava.experiments.Main;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.Restore;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * The tiny experiment of {@code tiny-grid.conf} through the launcher: a pre-training, a grid with
 * learning rate 0 (so the weights a cell starts from are the weights its checkpoint holds) for the
 * pre-trained model and random initialisation, and the results table. Checks partial-restore
 * correctness against the checkpoints' values, the restore reports, the table's contents, and that
 * a rerun trains nothing.
 */
class FineTuneGridTest {
  @TempDir Path modelDir;

  private String[] run(String... extra) {
    List<String> args = new ArrayList<>(List.of("--config", GridWorkerMain.CONFIG.toString(),
        "--model_dir", modelDir.toString(), "--binding", "LRS = [0.0]", "--binding", "STEPS = [2]"));
    for (String b : extra) args.addAll(List.of("--binding", b));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String o = out.toString(StandardCharsets.UTF_8);
    String e = err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, o + e);
    return new String[] {o, e};
  }

  @Test
  void restoresBackboneAndFpnWritesResultsAndRerunsNothing() throws Exception {
    String[] first = run();
    Path grid = modelDir.resolve("finetune");
    Path pretrained = grid.resolve("pretrained/seg/0_2");
    Path random = grid.resolve("random/seg/0_2");

    // Partial restore: with learning rate 0, the cell's checkpoint holds the weights it started from.
    Map<String, float[]> source = read(new CheckpointManager(modelDir.resolve("pretrain/checkpoints"), 1).latest().orElseThrow());
    Map<String, float[]> tuned = read(new CheckpointManager(pretrained.resolve("checkpoints"), 1).latest().orElseThrow());
    Map<String, float[]> scratch = read(new CheckpointManager(random.resolve("checkpoints"), 1).latest().orElseThrow());
    int compared = 0;
    for (String name : tuned.keySet()) {
      boolean trunk = name.startsWith("backbone/") || name.startsWith("fpn/");
      // BatchNorm moving statistics keep updating while training, whatever the learning rate.
      if (!trunk || name.contains("moving_")) continue;
      assertArrayEquals(source.get(name), tuned.get(name), name + " is not the pre-trained value");
      compared++;
    }
    assertTrue(compared > 50, "compared " + compared + " backbone/FPN variables");
    int heads = 0;
    for (String name : tuned.keySet()) {
      if (!name.startsWith("heads/segmentation/") || !name.endsWith("kernel")) continue;
      assertTrue(source.containsKey(name), "the pre-training had a segmentation head too: " + name);
      assertFalse(java.util.Arrays.equals(source.get(name), tuned.get(name)), name + " was restored but must start fresh");
      heads++;
    }
    assertTrue(heads >= 2, "head kernels compared: " + heads);
    assertFalse(java.util.Arrays.equals(source.get("backbone/stem/conv/kernel"), scratch.get("backbone/stem/conv/kernel")),
        "random initialisation must not restore anything");

    // What was restored and what started fresh is recorded per cell.
    Map<?, ?> report = new Gson().fromJson(Files.readString(pretrained.resolve(FineTuneGrid.RESTORE_REPORT)), Map.class);
    List<?> restored = (List<?>) report.get("restored");
    List<?> fresh = (List<?>) report.get("initialised_fresh");
    assertTrue(restored.stream().allMatch(n -> n.toString().startsWith("backbone/") || n.toString().startsWith("fpn/")));
    assertEquals(tuned.keySet().stream().filter(n -> n.startsWith("backbone/") || n.startsWith("fpn/")).count(), restored.size());
    assertFalse(fresh.isEmpty());
    assertTrue(fresh.stream().allMatch(n -> n.toString().startsWith("heads/segmentation/")), fresh.toString());
    Map<?, ?> randomReport = new Gson().fromJson(Files.readString(random.resolve(FineTuneGrid.RESTORE_REPORT)), Map.class);
    assertEquals(List.of(), randomReport.get("restored"));
    assertTrue(((List<?>) randomReport.get("initialised_fresh")).contains("backbone/stem/conv/kernel"));
    assertTrue(first[1].contains("finetune/pretrained/seg/0_2: restored " + restored.size() + " variables under [backbone/, fpn/]"), first[1]);

    // The results table holds each cell's metric, names its grid cell, and is printed.
    double miouPretrained = CellResult.read(pretrained).orElseThrow().value("segmentation/miou");
    double miouRandom = CellResult.read(random).orElseThrow().value("segmentation/miou");
    String md = Files.readString(modelDir.resolve("results.md"));
    String header = "| pre-training | seg: segmentation/miou \u2191 |";
    String rows = "| pretrained | " + String.format(Locale.ROOT, "%.4f", miouPretrained) + " |\n"
        + "| random | " + String.format(Locale.ROOT, "%.4f", miouRandom) + " |\n";
    assertTrue(md.contains(header + "\n|---|---:|\n" + rows), md);
    assertTrue(md.contains("| pretrained | lr 0, 2 steps |"), md);
    assertTrue(first[0].contains(header) && first[0].contains(rows), first[0]);
    String csv = Files.readString(modelDir.resolve("results.csv"));
    assertTrue(csv.startsWith("pretraining,seg segmentation/miou mean,seg sd,seg n,seg grid cell\n"
        + "pretrained," + String.format(Locale.ROOT, "%.6g", miouPretrained) + ",,1,\"lr 0, 2 steps\"\n"), csv);
    assertTrue(Files.size(modelDir.resolve("results.png")) > 1000);
    String gridCsv = Files.readString(grid.resolve("pretrained/seg/grid.csv"));
    assertTrue(gridCsv.startsWith("learning_rate,steps,seed,status,"), gridCsv);
    assertTrue(gridCsv.contains("\n0,2,,complete,") && gridCsv.endsWith(",yes\n"), gridCsv);

    // A rerun finds the grid and the results complete for their config (stage cache) and trains nothing.
    String[] second = run();
    assertTrue(second[1].contains("finetune: cached"), second[1]);
    assertTrue(second[1].contains("results: cached"), second[1]);
    assertFalse(second[1].contains(": fine-tuning "), second[1]);
    String results = Files.readString(modelDir.resolve("results.md"));
    assertTrue(results.contains(rows.strip()), "results.md kept: " + results);
  }

  private static org.tensorflow.Operand<TString> strings(Ops tf, String[] values) {
    return tf.constant(org.tensorflow.ndarray.NdArrays.vectorOfObjects(values));
  }

  /** Every float variable of a checkpoint, read with RestoreV2. */
  static Map<String, float[]> read(CheckpointInfo checkpoint) throws Exception {
    CheckpointManifest manifest = CheckpointManifest.read(checkpoint.manifestFile());
    List<String> names = manifest.entries().entrySet().stream()
        .filter(e -> e.getValue().dtype().equals("float32"))
        .map(Map.Entry::getKey).filter(n -> !n.startsWith("optimizer/")).toList();
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      String[] slices = new String[names.size()];
      java.util.Arrays.fill(slices, "");
      List<Class<? extends org.tensorflow.types.family.TType>> types = new ArrayList<>();
      for (int i = 0; i < names.size(); i++) types.add(TFloat32.class);
      Restore r = tf.train.restore(tf.constant(checkpoint.prefix()), strings(tf, names.toArray(String[]::new)),
          strings(tf, slices), types);
      Session.Runner runner = s.runner();
      for (var t : r.tensors()) runner.fetch(t);
      try (Result result = runner.run()) {
        for (int i = 0; i < names.size(); i++) {
          TFloat32 t = (TFloat32) result.get(i);
          float[] values = new float[(int) t.size()];
          t.copyTo(org.tensorflow.ndarray.buffer.DataBuffers.of(values, false, false));
          out.put(names.get(i), values);
        }
      }
    }
    return out;
  }
}
