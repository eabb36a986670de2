package org.mustjava.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.experiments.Main;

/** Two launcher processes on one model directory share a grid: every stage runs exactly once. */
class SharedGridTest {
  @TempDir Path tmp;

  @Test
  void twoLaunchersRunEveryStageOnce() throws Exception {
    Path modelDir = tmp.resolve("run");
    Path runLog = tmp.resolve("runs.log");
    Path config = tmp.resolve("grid.conf");
    Files.writeString(config, String.join("\n",
        "Launcher.experiment = @Stages()",
        "Stages.stages = [@TestStage(), @TestGrid()]",
        "TestStage.name = 'data'",
        "TestStage.value = 1",
        "TestGrid.name = 'grid'",
        "TestGrid.values = [1, 2, 3, 4, 5, 6]",
        "TestGrid.reads = ['data/shard-*']",
        "TestGrid.sleep_ms = 700",
        ""));
    String java = ProcessHandle.current().info().command().orElse("java");
    List<Process> launchers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      launchers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-D" + TestStages.ShardStage.RUN_LOG + "=" + runLog, Main.class.getName(),
          "--config", config.toString(), "--model_dir", modelDir.toString())
          .redirectErrorStream(true).redirectOutput(tmp.resolve("launcher" + i + ".log").toFile()).start());
    }
    for (int i = 0; i < 2; i++) {
      assertTrue(launchers.get(i).waitFor(120, TimeUnit.SECONDS), "launcher " + i + " did not finish");
      assertEquals(0, launchers.get(i).exitValue(), Files.readString(tmp.resolve("launcher" + i + ".log")));
    }
    Map<String, Integer> runs = new TreeMap<>();
    Map<String, Integer> byProcess = new TreeMap<>();
    for (String line : Files.readAllLines(runLog)) {
      String[] parts = line.split(" ");
      runs.merge(parts[0], 1, Integer::sum);
      byProcess.merge(parts[1], 1, Integer::sum);
    }
    Map<String, Integer> once = new TreeMap<>();
    for (String s : List.of("data", "grid/v1", "grid/v2", "grid/v3", "grid/v4", "grid/v5", "grid/v6")) once.put(s, 1);
    String logs = Files.readString(tmp.resolve("launcher0.log")) + "\n---\n" + Files.readString(tmp.resolve("launcher1.log"));
    assertEquals(once, runs, "stage -> runs; runs per process: " + byProcess + "\n" + logs);
    for (int v = 1; v <= 6; v++) {
      assertEquals(String.valueOf(v + 2), Files.readString(modelDir.resolve("grid/v" + v + "/shard-0")).strip());
      assertTrue(Files.isRegularFile(modelDir.resolve("grid/v" + v + "/" + StageDirectory.COMPLETE)));
    }
    System.out.println("SharedGridTest: stages run per process " + byProcess);
  }
}
