package org.mustjava.core.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.train.testing.ClusterTrainingMain;

/**
 * Multi-worker training on TensorFlow's gRPC runtime, on loopback: a chief process (task 0, {@link
 * ClusterTrainingMain}) and a worker process ({@link WorkerMain}, task 1), one tower each.
 *
 * <p>The tiny model has no BatchNorm, so two towers on half batches average to the whole-batch
 * gradient (see MultiDeviceTest): the variables after training on two workers must equal those of
 * the same run on one process, up to summation order.
 */
@Tag("slow")
class DistributedTrainingTest {
  @TempDir Path dir;

  @Test
  void twoWorkersTrainLikeOneProcessOnTheSameGlobalBatch() throws Exception {
    Run local = chief(dir.resolve("local"), 6, "local", 0).finish();
    assertEquals(0, local.exit, local.output());
    ClusterSpec cluster = ClusterSpec.localhost(2);
    Process worker = worker(cluster, 1);
    try {
      Run distributed = chief(dir.resolve("cluster"), 6, cluster.toString(), 0).finish();
      assertEquals(0, distributed.exit, distributed.output());
      Map<String, float[]> a = local.variables();
      Map<String, float[]> b = distributed.variables();
      assertEquals(a.keySet(), b.keySet());
      int compared = 0;
      for (String name : a.keySet()) {
        for (int i = 0; i < a.get(name).length; i++) {
          assertEquals(a.get(name)[i], b.get(name)[i], 2e-5 + 2e-5 * Math.abs(a.get(name)[i]), name + "[" + i + "]");
          compared++;
        }
      }
      assertTrue(compared > 200, "compared " + compared + " values");
    } finally {
      worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aKilledWorkerStopsTheChiefWithItsNameAndARestartResumes() throws Exception {
    ClusterSpec cluster = ClusterSpec.localhost(2);
    Path run = dir.resolve("run");
    Process worker = worker(cluster, 1);
    Run chief = chief(run, 40, cluster.toString(), 200);
    try {
      chief.readUntil("CHECKPOINT 10");
      worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      chief.finish();
    } finally {
      worker.destroyForcibly();
    }
    assertEquals(1, chief.exit, chief.output());
    String error = chief.lines.stream().filter(l -> l.startsWith("ERROR ")).findFirst().orElse("");
    assertTrue(error.contains("worker task 1 (" + cluster.workers().get(1) + ")"), chief.output());
    long resumeFrom = new CheckpointManager(run.resolve("checkpoints"), 3).latest().orElseThrow().step();
    assertTrue(resumeFrom >= 10 && resumeFrom < 40, "latest checkpoint " + resumeFrom);

    // Restart everything on fresh ports (the killed chief's in-process server held its port).
    ClusterSpec again = ClusterSpec.localhost(2);
    Process worker2 = worker(again, 1);
    try {
      Run resumed = chief(run, 40, again.toString(), 0).finish();
      assertEquals(0, resumed.exit, resumed.output());
      List<Long> steps = resumed.steps();
      assertEquals(resumeFrom + 1, steps.get(0), resumed.output());
      assertEquals(40L, steps.get(steps.size() - 1));
    } finally {
      worker2.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static Process worker(ClusterSpec cluster, int task) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        WorkerMain.class.getName(), "--cluster", cluster.toString(), "--task", Integer.toString(task));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("worker task " + task)) {
      p.destroyForcibly();
      throw new AssertionError("worker did not start: " + line);
    }
    return p;
  }

  private static Run chief(Path dir, long steps, String cluster, long sleepMs) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"),
        ClusterTrainingMain.class.getName(), dir.toString(), Long.toString(steps), cluster, Long.toString(sleepMs));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new Run(pb.start());
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A chief process and what it printed. */
  private static final class Run {
    final Process process;
    final BufferedReader reader;
    final List<String> lines = new ArrayList<>();
    int exit = -1;

    Run(Process process) {
      this.process = process;
      this.reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    void readUntil(String wanted) throws Exception {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        if (line.equals(wanted)) return;
      }
      throw new AssertionError("the chief ended before printing " + wanted + ":\n" + output());
    }

    Run finish() throws Exception {
      String line;
      while ((line = reader.readLine()) != null) lines.add(line);
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the chief did not end:\n" + output());
      }
      exit = process.exitValue();
      return this;
    }

    String output() {
      return String.join("\n", lines);
    }

    List<Long> steps() {
      List<Long> out = new ArrayList<>();
      for (String l : lines) if (l.startsWith("STEP ")) out.add(Long.parseLong(l.split(" ")[1]));
      return out;
    }

    Map<String, float[]> variables() {
      Map<String, float[]> out = new TreeMap<>();
      for (String l : lines) {
        if (!l.startsWith("VAR ")) continue;
        String[] p = l.split(" ");
        float[] v = new float[p.length - 2];
        for (int i = 2; i < p.length; i++) v[i - 2] = Float.intBitsToFloat(Integer.parseInt(p[i]));
        out.put(p[1], v);
      }
      if (out.isEmpty()) throw new AssertionError("no variables printed:\n" + output());
      return out;
    }
  }
}
