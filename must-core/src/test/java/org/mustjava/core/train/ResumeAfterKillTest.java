package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.train.testing.TinyTrainingMain;
import org.mustjava.core.train.testing.Trainers;

/**
 * Kills a training process with SIGKILL mid-run, restarts it in the same directory, and checks that
 * the resumed run ends at the requested step with exactly the losses of an uninterrupted run.
 */
class ResumeAfterKillTest {
  static final long STEPS = 40;
  @TempDir Path dir;

  @Test
  void resumedRunMatchesUninterruptedRun() throws Exception {
    killAndResume(false);
  }

  /** The same with the input iterator's state in the checkpoints: restored, not skipped to. */
  @Test
  void resumedRunWithIteratorStateMatchesUninterruptedRun() throws Exception {
    killAndResume(true);
  }

  private void killAndResume(boolean iteratorState) throws Exception {
    // Reference: uninterrupted, in this JVM.
    Map<Long, Long> reference = new LinkedHashMap<>();
    Trainers.fromConfig(TinyTrainingMain.config(STEPS))
        .withLogger(new ProgressLogger(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false, STEPS))
        .addListener(new StepListener() {
          @Override
          public void onStep(long step, Map<String, Double> losses, double lr) {
            reference.put(step, Double.doubleToRawLongBits(losses.get("total")));
          }
        })
        .train(TinyTrainingMain.task(), dir.resolve("reference"), "");
    assertEquals(STEPS, reference.size());

    Path run = dir.resolve("run");
    // First process: killed (SIGKILL) once it is past the step-20 checkpoint.
    Process first = start(run, 150, iteratorState);
    List<String> firstLines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        firstLines.add(line);
        if (line.equals("STEP 25 " + reference.get(25L))) break;
        if (line.startsWith("STEP 25 ")) throw new AssertionError("step 25 differs from the reference: " + line);
      }
      first.destroyForcibly(); // SIGKILL on Linux
      assertTrue(first.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(137, first.exitValue(), "killed by SIGKILL");
    assertFalse(firstLines.contains("DONE"), "the first process must not have finished");
    assertTrue(firstLines.contains("CHECKPOINT 20"), String.join("\n", firstLines));
    long resumeFrom = new CheckpointManager(run.resolve("checkpoints"), 3).latest().orElseThrow().step();
    assertTrue(resumeFrom >= 20 && resumeFrom < STEPS, "latest checkpoint " + resumeFrom);

    // Second process: resumes and finishes.
    assertEquals(iteratorState,
        org.mustjava.core.checkpoint.IteratorState.exists(run.resolve("checkpoints").resolve("ckpt-" + resumeFrom)));
    Process second = start(run, 0, iteratorState);
    List<String> secondLines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(second.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) secondLines.add(line);
    }
    assertTrue(second.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, second.exitValue(), String.join("\n", secondLines));
    assertTrue(secondLines.contains("DONE"));
    assertEquals(iteratorState, secondLines.stream().anyMatch(l -> l.contains("input stream restored from")),
        String.join("\n", secondLines));
    List<Long> steps = new ArrayList<>();
    for (String line : secondLines) {
      if (!line.startsWith("STEP ")) continue;
      String[] parts = line.split(" ");
      long step = Long.parseLong(parts[1]);
      steps.add(step);
      assertEquals(reference.get(step), Long.parseLong(parts[2]),
          "loss at step " + step + " after resuming from " + resumeFrom + " differs from the uninterrupted run");
    }
    assertEquals(resumeFrom + 1, steps.get(0));
    assertEquals(STEPS, steps.get(steps.size() - 1));
    assertEquals(STEPS - resumeFrom, steps.size());
    assertEquals(STEPS, new CheckpointManager(run.resolve("checkpoints"), 3).latest().orElseThrow().step());
  }

  private static Process start(Path dir, long sleepMs, boolean iteratorState) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        TinyTrainingMain.class.getName(), dir.toString(), Long.toString(STEPS), Long.toString(sleepMs),
        iteratorState ? "iterator_state" : "skip");
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }
}
