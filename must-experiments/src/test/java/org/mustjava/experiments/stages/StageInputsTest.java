package org.mustjava.experiments.stages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which config strings make upstream stages and which make external input files. */
class StageInputsTest {
  @TempDir Path tmp;

  @Test
  void pathsIntoEarlierStagesAreUpstreamAndOtherExistingFilesAreExternal() throws Exception {
    Path modelDir = Files.createDirectories(tmp.resolve("run"));
    Path data = Files.createDirectories(tmp.resolve("datasets/voc"));
    Files.writeString(data.resolve("train-00000-of-00002"), "ab");
    Files.writeString(data.resolve("train-00001-of-00002"), "abc");
    Files.writeString(data.resolve("eval-00000-of-00001"), "x");
    Files.createDirectories(modelDir.resolve("mine"));
    Files.writeString(modelDir.resolve("mine/labels.txt"), "cat\n");
    List<String> stages = List.of("data", "teachers/cls", "teachers/det", "grid/v1", "grid/v2", "later");

    StageInputs.Resolved r = StageInputs.resolve(List.of(
        "teachers",                 // above two earlier stages: both
        "data/train-*",             // a glob inside an earlier stage
        "grid",                     // above this stage's own directory: its own outputs
        "later/export",             // a later stage: not an input
        "segmentation/miou", "indoor", "", "/", "..", ".", // not paths of anything
        data + "/train-*",          // external, by glob
        "mine/labels.txt"),         // in the model directory but in no stage: external
        4, stages, modelDir);

    assertEquals(List.of("data", "teachers/cls", "teachers/det"), List.copyOf(r.upstream()));
    assertEquals(List.of(data + "/train-00000-of-00002", data + "/train-00001-of-00002", "mine/labels.txt"),
        List.copyOf(r.files().keySet()));
    assertEquals("size=3", r.files().get(data + "/train-00001-of-00002").split(" ")[0]);
  }
}
