package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

class VocConverterTest {
  @TempDir Path dir;

  /** A writable copy of the VOC fixture, for tests that break it. */
  private Path copyFixture() throws IOException {
    Path src = Fixtures.path("voc");
    Path dst = dir.resolve("VOCdevkit");
    try (var walk = Files.walk(src)) {
      for (Path p : walk.toList()) {
        Path target = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return dst;
  }

  @Test
  void detectionAndSegmentationFromMainLists() throws IOException {
    Path prefix = dir.resolve("voc");
    // The VOCdevkit directory is accepted when it holds one VOC year.
    ConversionJob job = Converted.run(new VocConverter(), Fixtures.path("voc"), prefix);
    // trainval (the union) and per-class lists such as cat_train are not splits by default.
    assertEquals(List.of("train", "val"), job.results().stream().map(ConversionJob.SplitResult::split).toList());

    List<MultiTaskExample> train = Converted.read(prefix, "train");
    assertEquals(List.of("2012_000001", "2012_000002"), train.stream().map(MultiTaskExample::sourceId).toList());
    MultiTaskExample first = train.get(0);
    assertArrayEquals(Files.readAllBytes(Fixtures.path("voc/VOC2012/JPEGImages/2012_000001.jpg")), first.encodedImage());
    ObjectBoxes boxes = first.boxes().orElseThrow();
    assertEquals(2, boxes.size(), "the person's <part> box is not an object");
    assertArrayEquals(new int[] {15, 12}, boxes.classes());
    assertArrayEquals(new float[] {1 / 16f, 2 / 24f, 1f, 12 / 24f}, boxes.box(0).toYxyx(), 1e-6f);
    assertArrayEquals(new float[] {9 / 16f, 13 / 24f, 1f, 1f}, boxes.box(1).toYxyx(), 1e-6f);
    assertArrayEquals(new boolean[] {false, true}, boxes.difficult());

    // Palette index = class; 255 border kept.
    byte[] mask = first.segmentation().orElseThrow();
    assertEquals(16 * 24, mask.length);
    assertEquals((byte) 255, mask[5]);
    assertEquals(0, mask[24]);
    assertEquals(15, mask[5 * 24 + 3]);
    assertEquals(12, mask[10 * 24 + 20]);
    assertFalse(train.get(1).segmentation().isPresent(), "2012_000002 has no mask");
    assertArrayEquals(new int[] {8}, train.get(1).boxes().orElseThrow().classes());

    MultiTaskExample val = Converted.read(prefix, "val").get(0);
    assertArrayEquals(new int[] {20}, val.boxes().orElseThrow().classes());
    String labels = Files.readString(job.labelsFile());
    assertTrue(labels.startsWith("label\tname\tsource_id\n0\tbackground\tbackground\n1\taeroplane\t"), labels);
    assertTrue(labels.endsWith("20\ttvmonitor\ttvmonitor\n"), labels);
  }

  @Test
  void segmentationImageSetAndExplicitTrainval() throws IOException {
    Path prefix = dir.resolve("seg");
    Path root = Fixtures.path("voc/VOC2012");
    Converted.run(new VocConverter(), root, prefix, 1, null, Map.of("image_set", "Segmentation"));
    assertEquals(1, Converted.read(prefix, "train").size());
    assertEquals(20, Converted.read(prefix, "val").get(0).segmentation().orElseThrow()[1]);

    Converted.run(new VocConverter(), root, dir.resolve("tv"), 1, "trainval", Map.of());
    assertEquals(3, Converted.read(dir.resolve("tv"), "trainval").size());
  }

  @Test
  void errorsNameFileAndLine() throws IOException {
    Path voc = copyFixture().resolve("VOC2012");
    Path xml = voc.resolve("Annotations/2012_000002.xml");
    String good = Files.readString(xml);

    Files.writeString(xml, good.replace("<name>cat</name>", "<name>unicorn</name>"));
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new VocConverter(), voc, dir.resolve("a")));
    assertEquals(xml, e.file());
    assertTrue(e.getMessage().contains("line 15: unknown object class 'unicorn'"), e.getMessage());

    Files.writeString(xml, good.replace("<xmax>15</xmax>", "<xmax>fifteen</xmax>"));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new VocConverter(), voc, dir.resolve("a")));
    assertTrue(e.getMessage().contains("line 23: <annotation/object/bndbox/xmax> is not a number: 'fifteen'"), e.getMessage());

    Files.writeString(xml, good.replace("</size>", ""));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new VocConverter(), voc, dir.resolve("a")));
    assertTrue(e.getMessage().startsWith(xml + ": line "), e.getMessage());
    assertTrue(e.getMessage().contains("malformed XML"), e.getMessage());

    Files.delete(xml);
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new VocConverter(), voc, dir.resolve("a")));
    assertEquals(xml, e.file());

    Files.writeString(xml, good);
    Files.delete(voc.resolve("SegmentationClass/2012_000003.png"));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new VocConverter(), voc, dir.resolve("a"),
        1, null, Map.of("image_set", "Segmentation")));
    assertEquals(voc.resolve("SegmentationClass/2012_000003.png"), e.file());
  }

  @Test
  void labelmeStyleExportWithoutImageSets() throws IOException {
    Path voc = copyFixture().resolve("VOC2012");
    try (var files = Files.walk(voc.resolve("ImageSets"))) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    // labelme writes its masks to SegmentationClassPNG and its class list to class_names.txt.
    Files.move(voc.resolve("SegmentationClass"), voc.resolve("SegmentationClassPNG"));
    StringBuilder names = new StringBuilder("__ignore__\n_background_\n");
    for (String c : VocConverter.VOC_CLASSES.subList(1, 21)) {
      names.append(c.equals("tvmonitor") ? "tv/monitor" : c).append('\n');
    }
    Files.writeString(voc.resolve("class_names.txt"), names.toString());
    Files.writeString(voc.resolve("Annotations/2012_000003.xml"),
        Files.readString(voc.resolve("Annotations/2012_000003.xml")).replace("tvmonitor", "tv/monitor"));
    Path prefix = dir.resolve("lm");
    ConversionJob job = Converted.run(new VocConverter(), voc, prefix, 1, "all", Map.of());
    List<MultiTaskExample> all = Converted.read(prefix, "all");
    assertEquals(3, all.size());
    assertArrayEquals(new int[] {20}, all.get(2).boxes().orElseThrow().classes());
    assertEquals(15, all.get(0).segmentation().orElseThrow()[5 * 24 + 3]);
    assertTrue(Files.readString(job.labelsFile()).contains("\n0\t_background_\t_background_\n"));
  }
}
