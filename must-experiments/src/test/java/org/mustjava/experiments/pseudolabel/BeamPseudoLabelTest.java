package org.mustjava.experiments.pseudolabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.TFRecordReader;

/**
 * The Beam engine (DirectRunner) against the single-process stage: same inputs and teachers (one
 * per task), the same set of records and the same label statistics.
 */
class BeamPseudoLabelTest {
  static final int S = 32;
  @TempDir Path dir;

  private static final String TEACHERS = """
      PseudoLabel.input_files = ['%s/in/images-*']
      PseudoLabel.teachers = [@cls/SavedModelTeacher(), @det/SavedModelTeacher(), @seg/SavedModelTeacher(), @depth/SavedModelTeacher()]
      PseudoLabel.batch_size = 2
      cls/SavedModelTeacher.task = 'classification'
      cls/SavedModelTeacher.directory = '%s/cls'
      det/SavedModelTeacher.task = 'detection'
      det/SavedModelTeacher.directory = '%s/det'
      det/SavedModelTeacher.outputs = {'boxes': 'detection_boxes', 'scores': 'detection_scores', 'classes': 'detection_classes'}
      seg/SavedModelTeacher.task = 'segmentation'
      seg/SavedModelTeacher.directory = '%s/seg'
      seg/SavedModelTeacher.outputs = {'logits': 'seg_logits'}
      depth/SavedModelTeacher.task = 'depth'
      depth/SavedModelTeacher.directory = '%s/depth'
      depth/SavedModelTeacher.outputs = {'inverse_depth': 'disparity'}
      """;

  @Test
  void theBeamPipelineWritesTheRecordsOfTheLocalStage() throws Exception {
    Path shared = dir.resolve("shared");
    TestTeachers.classification(shared.resolve("cls"), S, new float[][] {{1f, 0f, -1f}, {0f, 2f, 0f}, {0.5f, 0f, 1f}});
    TestTeachers.detection(shared.resolve("det"), S, new float[][] {{0.1f, 0.1f, 0.6f, 0.7f}, {0.2f, 0.3f, 0.9f, 0.8f}},
        new float[] {0.9f, 0.6f}, new float[] {1f, 2f});
    TestTeachers.segmentation(shared.resolve("seg"), S, 1f);
    TestTeachers.inverseDepth(shared.resolve("depth"), S);
    int[][] colours = {PseudoLabelStageTest.RED, PseudoLabelStageTest.GREY, PseudoLabelStageTest.BLUE};
    // Two input files of 3 and 2 images of different sizes: batches of 2 leave partial batches.
    for (int f = 0; f < 2; f++) {
      List<byte[]> records = new ArrayList<>();
      for (int i = 0; i < 3 - f; i++) {
        int h = 16 + 8 * i;
        int w = 40 - 8 * f;
        records.add(Fixtures.record(Fixtures.stripes(h, w, colours[i], colours[(i + f + 1) % 3]), h, w, "f" + f + "i" + i));
      }
      Fixtures.writeRecords(shared.resolve("in/images-0000" + f + "-of-00002"), records);
    }
    String s = shared.toString();
    String config = String.format(TEACHERS, s, s, s, s, s);

    Path local = dir.resolve("local");
    Fixtures.run(Fixtures.create(PseudoLabelStage.class, config), local);
    Path beam = dir.resolve("beam");
    String log = Fixtures.run(Fixtures.create(PseudoLabelStage.class, config
        + "PseudoLabel.engine = 'beam'\nPseudoLabel.beam_options = ['--runner=DirectRunner', '--targetParallelism=2']\n"), beam);
    assertTrue(log.contains("Beam pipeline") && log.contains("5 images"), log);

    List<String> names = List.of("train-00000-of-00002", "train-00001-of-00002");
    assertEquals(String.join("\n", names) + "\n", Files.readString(beam.resolve("pseudo_labels/COMPLETE")));
    List<String> fromLocal = records(local.resolve("pseudo_labels"), names);
    List<String> fromBeam = records(beam.resolve("pseudo_labels"), names);
    assertEquals(5, fromLocal.size());
    assertEquals(fromLocal.stream().sorted().toList(), fromBeam.stream().sorted().toList(),
        "the same records, in any shard and order");
    assertFalse(Files.exists(beam.resolve("pseudo_labels").resolve(PseudoLabelStage.BEAM_OUTPUT)), "the pipeline's output is published");

    JsonObject a = JsonParser.parseString(Files.readString(local.resolve("pseudo_labels/label_stats.json"))).getAsJsonObject();
    JsonObject b = JsonParser.parseString(Files.readString(beam.resolve("pseudo_labels/label_stats.json"))).getAsJsonObject();
    assertEquals(List.of("classification", "detection", "segmentation", "depth"), List.copyOf(b.keySet()));
    assertSameStatistics(a, b, "");
    assertEquals(5, b.getAsJsonObject("segmentation").get("images").getAsLong());

    // A rerun finds COMPLETE and labels nothing.
    String again = Fixtures.run(Fixtures.create(PseudoLabelStage.class, config + "PseudoLabel.engine = 'beam'\n"), beam);
    assertTrue(again.contains("nothing to label"), again);
  }

  @Test
  void anInterruptedBeamRunIsRedoneFromScratch() throws Exception {
    Path shared = dir.resolve("shared");
    TestTeachers.classification(shared.resolve("cls"), S, new float[][] {{1f, 0f}, {0f, 1f}, {0f, 0f}});
    Fixtures.writeRecords(shared.resolve("in/images-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(S, S, PseudoLabelStageTest.RED), S, S, "a")));
    String config = "PseudoLabel.input_files = ['" + shared + "/in/images-*']\nPseudoLabel.teachers = [@SavedModelTeacher()]\n"
        + "SavedModelTeacher.task = 'classification'\nSavedModelTeacher.directory = '" + shared + "/cls'\n"
        + "PseudoLabel.engine = 'beam'\n";
    // What a kill between publishing the shard and COMPLETE, or during the pipeline, leaves behind.
    Path out = dir.resolve("m/pseudo_labels");
    Fixtures.run(Fixtures.create(PseudoLabelStage.class, config), dir.resolve("m"));
    byte[] good = Files.readAllBytes(out.resolve("train-00000-of-00001"));
    Files.delete(out.resolve(PseudoLabelStage.COMPLETE));
    Files.write(out.resolve("train-00000-of-00001"), new byte[] {1, 2, 3});
    Files.createDirectories(out.resolve(PseudoLabelStage.BEAM_OUTPUT));
    Files.write(out.resolve(PseudoLabelStage.BEAM_OUTPUT).resolve("train-00000-of-00001"), new byte[] {4});
    Fixtures.run(Fixtures.create(PseudoLabelStage.class, config), dir.resolve("m"));
    assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(out.resolve("train-00000-of-00001"))));
    assertTrue(Files.isRegularFile(out.resolve(PseudoLabelStage.COMPLETE)));
    // The local engine refuses to resume in a directory of the Beam engine's shards.
    Files.delete(out.resolve(PseudoLabelStage.COMPLETE));
    String local = config.replace("PseudoLabel.engine = 'beam'\n", "");
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Fixtures.run(Fixtures.create(PseudoLabelStage.class, local), dir.resolve("m")));
    assertTrue(e.getMessage().contains("settings.txt"), e.getMessage());
  }

  @Test
  void engineAndOptionsAreChecked() {
    String base = "PseudoLabel.input_files = ['x']\nPseudoLabel.teachers = [@SavedModelTeacher()]\n"
        + "SavedModelTeacher.task = 'classification'\nSavedModelTeacher.directory = 'cls'\n";
    RuntimeException e = assertThrows(RuntimeException.class,
        () -> Fixtures.create(PseudoLabelStage.class, base + "PseudoLabel.engine = 'spark'\n"));
    assertTrue(rootMessage(e).contains("PseudoLabel.engine must be 'local' or 'beam'"), rootMessage(e));
    e = assertThrows(RuntimeException.class,
        () -> Fixtures.create(PseudoLabelStage.class, base + "PseudoLabel.beam_options = ['--runner=DirectRunner']\n"));
    assertTrue(rootMessage(e).contains("engine is 'local'"), rootMessage(e));
    assertEquals(java.util.Set.of("PseudoLabel.beam_options"),
        Fixtures.create(PseudoLabelStage.class, base + "PseudoLabel.engine = 'beam'\n").fingerprintExcludes());
  }

  private static String rootMessage(Throwable t) {
    StringBuilder m = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) m.append(c.getMessage()).append(" / ");
    return m.toString();
  }

  private static List<String> records(Path dir, List<String> names) throws Exception {
    List<String> out = new ArrayList<>();
    for (String n : names) for (byte[] r : TFRecordReader.readAll(dir.resolve(n))) out.add(Base64.getEncoder().encodeToString(r));
    return out;
  }

  /** Counts and histograms exactly; sums and means up to their summation order. */
  private static void assertSameStatistics(JsonElement a, JsonElement b, String where) {
    if (a.isJsonObject()) {
      assertEquals(a.getAsJsonObject().keySet(), b.getAsJsonObject().keySet(), where);
      for (Map.Entry<String, JsonElement> e : a.getAsJsonObject().entrySet()) {
        assertSameStatistics(e.getValue(), b.getAsJsonObject().get(e.getKey()), where + "." + e.getKey());
      }
    } else if (a.getAsJsonPrimitive().isNumber()) {
      double x = a.getAsDouble();
      assertEquals(x, b.getAsDouble(), 1e-9 * Math.max(1, Math.abs(x)), where);
    } else {
      assertEquals(a, b, where);
    }
  }
}
