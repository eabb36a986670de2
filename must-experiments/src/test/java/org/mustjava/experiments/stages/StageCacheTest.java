package org.mustjava.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.experiments.Main;

/**
 * The stage cache on test stages: data_a -> train_a and data_b -> train_b, two independent chains
 * in one list, plus a stage reading a file outside the model directory.
 */
class StageCacheTest {
  @TempDir Path tmp;
  Path modelDir;
  Path config;
  Path external;

  @BeforeEach
  void setUp() throws IOException {
    TestStages.ShardStage.reset();
    modelDir = tmp.resolve("run");
    external = tmp.resolve("outside.txt");
    Files.writeString(external, "100\n");
    config = tmp.resolve("stages.conf");
    Files.writeString(config, String.join("\n",
        "Launcher.experiment = @Stages()",
        "Stages.stages = [@a/TestStage(), @b/TestStage(), @c/TestStage(), @d/TestStage(), @e/TestStage()]",
        "a/TestStage.name = 'data_a'",
        "a/TestStage.value = 1",
        "b/TestStage.name = 'data_b'",
        "b/TestStage.value = 2",
        "c/TestStage.name = 'train_a'",
        "c/TestStage.reads = ['data_a/shard-*']",
        "c/TestStage.resumable = True",
        "c/TestStage.shards = 4",
        "d/TestStage.name = 'train_b'",
        "d/TestStage.reads = ['data_b/shard-*']",
        "e/TestStage.name = 'external'",
        "e/TestStage.reads = ['" + external + "']",
        ""));
  }

  record Result(int code, String out, String err) {}

  private Result run(String... extra) {
    List<String> args = new ArrayList<>(List.of("--config", config.toString()));
    args.addAll(List.of(extra));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Result runOk(String... bindings) {
    List<String> args = new ArrayList<>(List.of("--model_dir", modelDir.toString()));
    for (String b : bindings) args.addAll(List.of("--binding", b));
    Result r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return r;
  }

  private static int runs(String stage) {
    return TestStages.ShardStage.written(stage).size();
  }

  private List<String> files(String dir) throws IOException {
    try (Stream<Path> s = Files.list(modelDir.resolve(dir))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("shard-")).sorted().toList();
    }
  }

  private String read(String file) throws IOException {
    return Files.readString(modelDir.resolve(file)).strip();
  }

  @Test
  void rerunWithTheSameConfigIsACacheHitThatDoesNothing() throws IOException {
    runOk();
    assertEquals("2", read("train_a/shard-0")); // value 0 + two data_a shards holding 1
    int[] before = {runs("data_a"), runs("data_b"), runs("train_a"), runs("train_b"), runs("external")};
    assertEquals(List.of(2, 2, 4, 2, 2), List.of(before[0], before[1], before[2], before[3], before[4]));

    long t0 = System.nanoTime();
    Result again = runOk();
    double seconds = (System.nanoTime() - t0) / 1e9;
    for (String stage : List.of("data_a", "data_b", "train_a", "train_b", "external")) {
      assertEquals(before[List.of("data_a", "data_b", "train_a", "train_b", "external").indexOf(stage)], runs(stage), stage);
      assertTrue(again.err().contains(stage + ": cached (fingerprint "), again.err());
    }
    assertTrue(seconds < 5, "a full cache hit took " + seconds + " s");
  }

  @Test
  void aChangedBindingRerunsItsStageAndEverythingDownstreamButNothingElse() throws IOException {
    runOk();
    TestStages.ShardStage.reset();
    // Only train_a reads c/: only it reruns.
    Result own = runOk("c/TestStage.value = 10");
    assertTrue(own.err().contains("train_a: runs: config changed: c/TestStage.value: 0 -> 10"), own.err());
    assertEquals(List.of(0, 0, 4, 0, 0), List.of(runs("data_a"), runs("data_b"), runs("train_a"), runs("train_b"), runs("external")));
    assertEquals("12", read("train_a/shard-3"));

    // data_a changes: train_a, which reads it, reruns with it; the b chain and external stay cached.
    TestStages.ShardStage.reset();
    Result upstream = runOk("c/TestStage.value = 10", "a/TestStage.value = 5");
    assertTrue(upstream.err().contains("data_a: runs: config changed: a/TestStage.value: 1 -> 5"), upstream.err());
    assertTrue(upstream.err().contains("train_a: runs: upstream 'data_a' changed"), upstream.err());
    assertEquals(List.of(2, 0, 4, 0, 0), List.of(runs("data_a"), runs("data_b"), runs("train_a"), runs("train_b"), runs("external")));
    assertEquals("20", read("train_a/shard-0"));

    // A binding no stage reads changes no fingerprint.
    TestStages.ShardStage.reset();
    runOk("c/TestStage.value = 10", "a/TestStage.value = 5", "z/TestStage.value = 99");
    assertEquals(0, runs("data_a") + runs("data_b") + runs("train_a") + runs("train_b") + runs("external"));
  }

  @Test
  void aMissSupersedesTheOldOutputsInsteadOfMixingThem() throws IOException {
    runOk("a/TestStage.shards = 3");
    assertEquals(List.of("shard-0", "shard-1", "shard-2"), files("data_a"));
    assertEquals("3", read("train_a/shard-0"));

    Result r = runOk("a/TestStage.shards = 1");
    assertEquals(List.of("shard-0"), files("data_a"));
    assertEquals("1", read("train_a/shard-0")); // made from the one new shard only
    assertEquals(List.of("shard-0", "shard-1", "shard-2"), files("superseded/data_a"));
    assertTrue(Files.isRegularFile(modelDir.resolve("superseded/train_a/shard-3")));
    assertTrue(r.err().contains("data_a: moved its previous outputs to " + modelDir.resolve("superseded/data_a")), r.err());
  }

  @Test
  void anInterruptedStageResumesUnderTheSameFingerprintAndStartsCleanUnderAnother() throws IOException {
    TestStages.ShardStage.KILL_AFTER.put("train_a", 2);
    Result killed = run("--model_dir", modelDir.toString());
    assertEquals(Main.RUNTIME_FAILURE, killed.code(), killed.err());
    assertEquals(List.of(0, 1), TestStages.ShardStage.written("train_a"));
    assertFalse(Files.exists(modelDir.resolve("train_a/" + StageDirectory.COMPLETE)));
    assertEquals(0, runs("train_b")); // never reached

    // Same fingerprint: train_a (resumable) writes only the missing shards; the finished stages are cached.
    TestStages.ShardStage.reset();
    Result resumed = runOk();
    assertTrue(resumed.err().contains("train_a: resumes: interrupted run, same fingerprint"), resumed.err());
    assertEquals(List.of(2, 3), TestStages.ShardStage.written("train_a"));
    assertEquals(0, runs("data_a"));
    assertEquals(List.of("shard-0", "shard-1", "shard-2", "shard-3"), files("train_a"));

    // A non-resumable stage interrupted starts again from an empty directory.
    TestStages.ShardStage.reset();
    TestStages.ShardStage.KILL_AFTER.put("data_b", 1);
    Files.delete(modelDir.resolve("data_b/" + StageDirectory.COMPLETE)); // as if killed before completing
    Result cleanAfterKill = run("--model_dir", modelDir.toString());
    assertEquals(Main.RUNTIME_FAILURE, cleanAfterKill.code());
    assertTrue(cleanAfterKill.err().contains("data_b: runs: interrupted run: starts again"), cleanAfterKill.err());
    TestStages.ShardStage.reset();
    Result again = runOk();
    assertTrue(again.err().contains("data_b: runs: interrupted run: starts again"), again.err());
    assertTrue(again.err().contains("train_b: runs: upstream 'data_b' runs"), again.err());
    assertEquals(List.of(0, 1), TestStages.ShardStage.written("data_b"));

    // Interrupted, then the config changed: the partial outputs are superseded, the stage starts clean.
    TestStages.ShardStage.reset();
    TestStages.ShardStage.KILL_AFTER.put("train_a", 1);
    assertEquals(Main.RUNTIME_FAILURE, run("--model_dir", modelDir.toString(), "--binding", "c/TestStage.value = 1").code());
    TestStages.ShardStage.reset();
    Result changed = runOk("c/TestStage.value = 2");
    assertTrue(changed.err().contains("train_a: runs: config changed: c/TestStage.value: 1 -> 2"), changed.err());
    assertEquals(List.of(0, 1, 2, 3), TestStages.ShardStage.written("train_a"));
  }

  @Test
  void anExternalInputFileIsPartOfTheFingerprint() throws IOException {
    runOk();
    assertEquals("100", read("external/shard-0"));
    Files.writeString(external, "2000\n");
    TestStages.ShardStage.reset();
    Result r = runOk();
    assertTrue(r.err().contains("external: runs: input file " + external + " changed"), r.err());
    assertEquals(2, runs("external"));
    assertEquals(0, runs("train_a"));
    assertEquals("2000", read("external/shard-1"));
    assertTrue(Files.readString(modelDir.resolve("external/" + StageDirectory.FINGERPRINT)).contains("input file " + external + " size=5 "));
  }

  @Test
  void dryRunListsEachStageAsCachedOrWouldRunWithTheReasonAndWritesNothing() throws IOException {
    Result fresh = run("--dry_run", "--model_dir", modelDir.toString());
    assertEquals(0, fresh.code(), fresh.err());
    assertTrue(fresh.out().contains("\nd/TestStage.name = 'train_b'\n"), fresh.out()); // the operative config, as before
    assertTrue(fresh.out().endsWith(String.join("\n",
        "# Stages in " + modelDir + ":",
        "#   1/5 data_a: would run: no outputs",
        "#   2/5 data_b: would run: no outputs",
        "#   3/5 train_a: would run: no outputs",
        "#   4/5 train_b: would run: no outputs",
        "#   5/5 external: would run: no outputs",
        "")), fresh.out());
    assertFalse(Files.exists(modelDir), "a dry run wrote " + modelDir);

    runOk();
    TestStages.ShardStage.reset();
    Result changed = run("--dry_run", "--model_dir", modelDir.toString(), "--binding", "b/TestStage.value = 3");
    assertEquals(0, changed.code(), changed.err());
    List<String> plan = changed.out().lines().filter(l -> l.startsWith("#   ")).toList();
    assertEquals(5, plan.size(), changed.out());
    assertTrue(plan.get(0).matches("#   1/5 data_a: cached \\(fingerprint [0-9a-f]{12} unchanged\\)"), plan.get(0));
    assertEquals("#   2/5 data_b: would run: config changed: b/TestStage.value: 2 -> 3", plan.get(1));
    assertTrue(plan.get(2).startsWith("#   3/5 train_a: cached"), plan.get(2));
    assertEquals("#   4/5 train_b: would run: upstream 'data_b' changed", plan.get(3));
    assertTrue(plan.get(4).startsWith("#   5/5 external: cached"), plan.get(4));
    assertEquals(0, runs("data_b") + runs("train_b"));
    assertEquals("2", read("data_b/shard-0"));

    Result noDir = run("--dry_run");
    assertEquals(0, noDir.code(), noDir.err());
    assertTrue(noDir.out().contains("# Stages (no --model_dir given):\n#   1/5 data_a: would run: no --model_dir to compare with\n"), noDir.out());
  }

  @Test
  void stagesMustHaveSeparateDirectories() throws IOException {
    Result r = run("--dry_run", "--binding", "b/TestStage.name = 'data_a/inner'");
    assertEquals(Main.CONFIG_ERROR, r.code(), r.err());
    assertTrue(r.err().contains("stages 'data_a' and 'data_a/inner' write to the same directory (one inside the other)"), r.err());
    Result superseded = run("--dry_run", "--binding", "b/TestStage.name = 'superseded'");
    assertEquals(Main.CONFIG_ERROR, superseded.code());
    assertTrue(superseded.err().contains("'superseded' and '.locks' are reserved"), superseded.err());
  }

  @Test
  void gridCellsAreCachedOneByOne() throws IOException {
    Files.writeString(config, Files.readString(config).replace("@e/TestStage()]", "@e/TestStage(), @TestGrid()]")
        + "TestGrid.name = 'grid'\nTestGrid.values = [1, 2]\nTestGrid.reads = ['data_a/shard-*']\n");
    runOk();
    assertEquals(List.of(0), TestStages.ShardStage.written("grid/v1"));
    assertEquals("4", read("grid/v2/shard-0")); // 2 + the two data_a shards

    // A new cell runs alone; the others are cached.
    TestStages.ShardStage.reset();
    Result wider = runOk("TestGrid.values = [1, 2, 3]");
    assertTrue(wider.err().contains("grid/v1: cached"), wider.err());
    assertTrue(wider.err().contains("grid/v3: runs: no outputs"), wider.err());
    assertEquals(List.of(0), TestStages.ShardStage.written("grid/v3"));
    assertEquals(0, runs("grid/v1") + runs("grid/v2"));

    // The grid's input changes: every cell reruns.
    TestStages.ShardStage.reset();
    Result upstream = runOk("TestGrid.values = [1, 2, 3]", "a/TestStage.value = 10");
    assertTrue(upstream.err().contains("grid/v2: runs: upstream 'data_a' changed"), upstream.err());
    assertEquals(3, runs("grid/v1") + runs("grid/v2") + runs("grid/v3"));
    assertEquals("22", read("grid/v2/shard-0"));
  }

  @Test
  void aStageAnotherLauncherHoldsIsReportedAsSuch() throws Exception {
    runOk();
    Files.delete(modelDir.resolve("data_b/" + StageDirectory.COMPLETE)); // started, not finished
    Path lockFile = modelDir.resolve(StageLock.DIRECTORY + "/data_b.lock");
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(lockFile, java.nio.file.StandardOpenOption.WRITE);
        java.nio.channels.FileLock held = channel.lock()) {
      Result r = run("--dry_run", "--model_dir", modelDir.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("#   2/5 data_b: would run: another process is running it\n"), r.out());
    }
    Result r = run("--dry_run", "--model_dir", modelDir.toString());
    assertTrue(r.out().contains("#   2/5 data_b: would run: interrupted run: starts again\n"), r.out());
  }
}
