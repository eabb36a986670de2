package org.mustjava.experiments.pseudolabel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pseudo-labelling killed with SIGKILL in the middle of a shard, then rerun, gives shards and
 * statistics byte-identical to an uninterrupted run (which also shows the stage is deterministic:
 * the two runs are separate processes), keeps the shards published before the kill, and leaves no
 * temporary file.
 */
class PseudoLabelResumeAfterKillTest {
  static final int SHARDS = 4;
  static final int IMAGES_PER_SHARD = 5;
  @TempDir Path work;

  /** Classification, detection and segmentation teachers over {@code work/in/images-*}. */
  static String config(Path work) {
    return """
        PseudoLabel.input_files = ['%s/in/images-*']
        PseudoLabel.teachers = [@cls/SavedModelTeacher(), @det/SavedModelTeacher(), @seg/SavedModelTeacher()]
        PseudoLabel.batch_size = 2
        cls/SavedModelTeacher.task = 'classification'
        cls/SavedModelTeacher.directory = '%s/teachers/cls'
        det/SavedModelTeacher.task = 'detection'
        det/SavedModelTeacher.directory = '%s/teachers/det'
        det/SavedModelTeacher.outputs = {'boxes': 'detection_boxes', 'scores': 'detection_scores', 'classes': 'detection_classes'}
        seg/SavedModelTeacher.task = 'segmentation'
        seg/SavedModelTeacher.directory = '%s/teachers/seg'
        seg/SavedModelTeacher.outputs = {'logits': 'seg_logits'}
        """.formatted(work, work, work, work);
  }

  private void makeTeachersAndInputs() throws Exception {
    TestTeachers.classification(work.resolve("teachers/cls"), 32, new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    TestTeachers.detection(work.resolve("teachers/det"), 32, new float[][] {{0.1f, 0.1f, 0.6f, 0.7f}, {0.2f, 0.3f, 0.9f, 0.4f}},
        new float[] {0.9f, 0.6f}, new float[] {1, 2});
    TestTeachers.segmentation(work.resolve("teachers/seg"), 32, 2f);
    Random rnd = new Random(5);
    for (int s = 0; s < SHARDS; s++) {
      List<byte[]> records = new ArrayList<>();
      for (int i = 0; i < IMAGES_PER_SHARD; i++) {
        int h = 16 + rnd.nextInt(32);
        int w = 16 + rnd.nextInt(32);
        int[][] colours = new int[3][];
        for (int c = 0; c < 3; c++) colours[c] = new int[] {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
        records.add(Fixtures.record(Fixtures.stripes(h, w, colours), h, w, "img" + s + "_" + i));
      }
      Fixtures.writeRecords(work.resolve(String.format("in/images-%05d-of-%05d", s, SHARDS)), records);
    }
  }

  @Test
  void killedRunResumesToByteIdenticalShards() throws Exception {
    makeTeachersAndInputs();
    Path reference = work.resolve("reference");
    Fixtures.run(Fixtures.create(PseudoLabelStage.class, config(work)), reference);

    Path run = work.resolve("run");
    Process child = start(run, 300);
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line);
        if (line.contains("shard 2/" + SHARDS)) break; // two shards published, the third under way
      }
      Thread.sleep(400); // into the third shard's batches
      child.destroyForcibly(); // SIGKILL on Linux
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(137, child.exitValue(), "killed by SIGKILL; output: " + lines);
    Path out = run.resolve("pseudo_labels");
    assertFalse(lines.contains("DONE"));
    assertFalse(Files.exists(out.resolve(PseudoLabelStage.COMPLETE)));
    assertTrue(Files.isRegularFile(out.resolve("train-00001-of-00004")));
    assertFalse(Files.exists(out.resolve("train-00003-of-00004")), "the child was killed before the last shard");

    String log = Fixtures.run(Fixtures.create(PseudoLabelStage.class, config(work)), run);
    assertTrue(log.contains("shards already labelled, resuming"), log);
    Path ref = reference.resolve("pseudo_labels");
    for (int s = 0; s < SHARDS; s++) {
      String name = String.format("train-%05d-of-%05d", s, SHARDS);
      assertArrayEquals(Files.readAllBytes(ref.resolve(name)), Files.readAllBytes(out.resolve(name)), name);
      assertEquals(IMAGES_PER_SHARD, Fixtures.readExamples(out.resolve(name)).size());
    }
    assertEquals(Files.readString(ref.resolve(PseudoLabelStage.LABEL_STATS)), Files.readString(out.resolve(PseudoLabelStage.LABEL_STATS)));
    try (Stream<Path> files = Files.walk(out)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }
    // A complete stage does nothing; other teacher settings are refused rather than mixed in.
    assertTrue(Fixtures.run(Fixtures.create(PseudoLabelStage.class, config(work)), run).contains("nothing to label"));
    Files.delete(out.resolve(PseudoLabelStage.COMPLETE));
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> Fixtures.run(Fixtures.create(PseudoLabelStage.class, config(work) + "cls/SavedModelTeacher.temperature = 3.0\n"), run));
    assertTrue(e.getMessage().contains("settings.txt differs"), e.getMessage());
  }

  private Process start(Path modelDir, long sleepMs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        KillablePseudoLabelMain.class.getName(), work.toString(), modelDir.toString(), Long.toString(sleepMs));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return pb.start();
  }
}
