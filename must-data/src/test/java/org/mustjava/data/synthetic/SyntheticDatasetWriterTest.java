package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/** Sharded output: byte-identical for any thread count, and every label survives the codecs. */
class SyntheticDatasetWriterTest {

  private static final int SIZE = 40;
  private static final long SEED = 3;

  @TempDir Path dir;

  private static SceneGenerator generator() {
    return new SceneGenerator(SceneDomains.named("mixed"), SIZE, SIZE, SEED, 2, 6, 2);
  }

  @Test
  void outputIsIdenticalForOneAndTwoThreads() throws IOException {
    Set<LabelType> all = LabelTypes.all();
    List<Path> one = new SyntheticDatasetWriter(generator(), all, 1)
        .write(dir.resolve("a/train"), 13, 3, Compression.NONE);
    List<Path> two = new SyntheticDatasetWriter(generator(), all, 2)
        .write(dir.resolve("b/train"), 13, 3, Compression.NONE);
    assertEquals(3, one.size());
    assertEquals("train-00002-of-00003", one.get(2).getFileName().toString());
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(Files.readAllBytes(one.get(i)), Files.readAllBytes(two.get(i)), "shard " + i);
    }
    // Round-robin: shard 0 holds scenes 0, 3, 6, 9, 12.
    assertEquals(5, TFRecordReader.readAll(one.get(0)).size());
  }

  @Test
  void everyLabelRoundTripsThroughTheCodecs() throws IOException {
    List<Path> files = new SyntheticDatasetWriter(generator(), LabelTypes.all(), 2)
        .write(dir.resolve("all"), 6, 2, Compression.GZIP);
    List<MultiTaskExample> examples = readInSceneOrder(files);
    assertEquals(6, examples.size());
    SceneGenerator g = generator();
    for (int i = 0; i < examples.size(); i++) {
      MultiTaskExample ex = examples.get(i);
      SyntheticScene scene = g.generate(i);
      SceneImage img = scene.image();
      assertEquals(scene.sourceId(), ex.sourceId());
      assertEquals(SIZE, ex.height());
      assertEquals(SIZE, ex.width());
      assertEquals("png", ex.imageFormat());
      assertArrayEquals(img.rgb(), ImageCodecs.decodeRgb(ex.encodedImage()).data());
      assertEquals(scene.imageClass(), ex.classLabel().getAsInt());
      ObjectBoxes boxes = ex.boxes().orElseThrow();
      assertEquals(scene.boxes().size(), boxes.size());
      for (int k = 0; k < boxes.size(); k++) {
        InstanceBox b = scene.boxes().get(k);
        assertEquals(b.box(), boxes.box(k));
        assertEquals(b.classId(), boxes.classes()[k]);
      }
      assertArrayEquals(img.semantic(), ex.segmentation().orElseThrow());
      assertFalse(ex.depth().orElseThrow().relative(), "synthetic depth is metric");
      assertArrayEquals(img.depth(), ex.depth().orElseThrow().toFloats(SIZE, SIZE));
      assertArrayEquals(img.normals(), ex.normals().orElseThrow());
    }
  }

  @Test
  void labelsOptionWritesOnlyTheChosenTasksOrUnlabelledImages() throws IOException {
    List<Path> depthOnly = new SyntheticDatasetWriter(generator(), Set.of(LabelTypes.DEPTH), 1)
        .write(dir.resolve("depth"), 3, 1, Compression.NONE);
    for (MultiTaskExample ex : readInSceneOrder(depthOnly)) {
      assertTrue(ex.depth().isPresent());
      assertTrue(ex.classLabel().isEmpty() && ex.boxes().isEmpty() && ex.segmentationPng().isEmpty()
          && ex.normals().isEmpty());
    }
    List<Path> unlabelled = new SyntheticDatasetWriter(generator(), Set.of(), 1)
        .write(dir.resolve("unlabelled"), 3, 1, Compression.NONE);
    List<MultiTaskExample> examples = readInSceneOrder(unlabelled);
    assertEquals(3, examples.size());
    for (MultiTaskExample ex : examples) {
      assertTrue(ex.classLabel().isEmpty() && ex.classProbabilities().isEmpty() && ex.boxes().isEmpty()
          && ex.segmentationPng().isEmpty() && ex.depth().isEmpty() && ex.normals().isEmpty());
      assertTrue(ex.encodedImage().length > 0);
    }
    // The same images as a labelled set with the same seed.
    assertArrayEquals(generator().generate(1).image().rgb(),
        ImageCodecs.decodeRgb(examples.get(1).encodedImage()).data());
  }

  @Test
  void aFailingSceneLeavesNoFiles() throws IOException {
    SceneDomain skyward = SceneDomains.named("outdoor").toBuilder().minPitch(60).maxPitch(80)
        .minFov(10).maxFov(10).build();
    SceneGenerator never = new SceneGenerator(skyward, 16, 16, 1);
    Path out = dir.resolve("fail");
    Files.createDirectories(out);
    assertThrows(IllegalStateException.class, () -> new SyntheticDatasetWriter(never,
        LabelTypes.all(), 2).write(out.resolve("train"), 4, 2, Compression.NONE));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of(), files.toList(), "no shard, final or temporary, is left behind");
    }
  }

  /** Reads round-robin shards back into scene order. */
  private static List<MultiTaskExample> readInSceneOrder(List<Path> shards) throws IOException {
    List<List<byte[]>> records = new ArrayList<>();
    int total = 0;
    for (Path shard : shards) {
      List<byte[]> r = TFRecordReader.readAll(shard);
      records.add(r);
      total += r.size();
    }
    List<MultiTaskExample> out = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      out.add(MultiTaskExample.parseFrom(records.get(i % shards.size()).get(i / shards.size())));
    }
    return out;
  }
}
