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

class CocoConverterTest {
  @TempDir Path dir;

  @Test
  void instancesWithContiguousLabels() throws IOException {
    Path prefix = dir.resolve("coco");
    ConversionJob job = Converted.run(CocoConverter.coco(), Fixtures.path("coco"), prefix);
    // Category ids 1, 3, 90 become labels 1, 2, 3; the map keeps the ids.
    assertEquals("label\tname\tsource_id\n1\tperson\t1\n2\tcar\t3\n3\ttoothbrush\t90\n", Files.readString(job.labelsFile()));
    List<MultiTaskExample> val = Converted.read(prefix, "val2017");
    assertEquals(List.of("139", "285", "632"), val.stream().map(MultiTaskExample::sourceId).toList());

    ObjectBoxes b = val.get(0).boxes().orElseThrow();
    assertArrayEquals(new int[] {3, 1}, b.classes());
    // bbox [2, 1, 10, 8] in a 20x10 image.
    assertArrayEquals(new float[] {0.1f, 0.1f, 0.9f, 0.6f}, b.box(0).toYxyx(), 1e-6f);
    assertArrayEquals(new float[] {0f, 0f, 1f, 0.2f}, b.box(1).toYxyx(), 1e-6f);
    assertArrayEquals(new boolean[] {false, true}, b.crowd());
    assertArrayEquals(new int[] {2}, val.get(1).boxes().orElseThrow().classes());
    assertEquals(0, val.get(2).boxes().orElseThrow().size(), "an image without objects is kept, with no boxes");
    assertArrayEquals(Files.readAllBytes(Fixtures.path("coco/val2017/000000000285.jpg")), val.get(1).encodedImage());
  }

  @Test
  void panopticReducedToSemantic() throws IOException {
    Path coco = Fixtures.path("coco");
    Path prefix = dir.resolve("pan");
    ConversionJob job = Converted.run(CocoConverter.coco(), coco, prefix, 1, null, Map.of(
        "annotations", coco.resolve("annotations/panoptic_val2017.json").toString(),
        "images", coco.resolve("val2017").toString(),
        "panoptic_masks", coco.resolve("annotations/panoptic_val2017").toString()));
    assertEquals("label\tname\tsource_id\n0\tperson\t1\n1\tcar\t3\n2\ttree-merged\t184\n3\tsky-other-merged\t187\n",
        Files.readString(job.labelsFile()));
    List<MultiTaskExample> ex = Converted.read(prefix, "train");
    assertEquals(2, ex.size());
    byte[] m = ex.get(0).segmentation().orElseThrow();
    assertEquals(3, m[0], "sky (segment 5000000, blue channel)");
    assertEquals(1, m[5 * 20 + 2], "car (segment 300, green channel)");
    assertEquals(0, m[7 * 20 + 15], "crowd person keeps its class");
    byte[] m2 = ex.get(1).segmentation().orElseThrow();
    assertEquals((byte) 255, m2[0], "segment id 0 = unlabelled");
    assertEquals(2, m2[12 * 8 + 3]);
    assertFalse(ex.get(0).boxes().isPresent());
  }

  @Test
  void objects365LayoutAndNestedFileNames() throws IOException {
    Path in = dir.resolve("o365");
    Files.createDirectories(in.resolve("annotations"));
    Files.createDirectories(in.resolve("images/val/patch0"));
    for (String name : List.of("000000000139.jpg", "000000000285.jpg", "000000000632.jpg")) {
      Files.copy(Fixtures.path("coco/val2017/" + name), in.resolve("images/val/patch0/" + name));
    }
    // Objects365 file names carry a prefix that is not part of the unpacked layout.
    String json = Files.readString(Fixtures.path("coco/annotations/instances_val2017.json"))
        .replace("\"file_name\": \"0", "\"file_name\": \"images/v1/patch0/0");
    Files.writeString(in.resolve("annotations/zhiyuan_objv2_val.json"), json);
    Path prefix = dir.resolve("obj");
    Converted.run(CocoConverter.objects365(), in, prefix);
    assertEquals(3, Converted.read(prefix, "val").size());
  }

  @Test
  void jsonErrorsNameFileLineAndField() throws IOException {
    Path in = dir.resolve("bad");
    Files.createDirectories(in.resolve("annotations"));
    Path file = in.resolve("annotations/instances_val.json");
    String good = Files.readString(Fixtures.path("coco/annotations/instances_val2017.json"));

    Files.writeString(file, good.replace("\"category_id\": 3,", "\"category_id\": 4,"));
    Files.createDirectories(in.resolve("val"));
    for (String name : List.of("000000000139.jpg", "000000000285.jpg", "000000000632.jpg")) {
      Files.copy(Fixtures.path("coco/val2017/" + name), in.resolve("val/" + name));
    }
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Converted.run(CocoConverter.coco(), in, dir.resolve("x")));
    assertTrue(e.getMessage().startsWith(file + ": annotations[2].category_id 4 is not in \"categories\""), e.getMessage());

    Files.writeString(file, good.replace("\"height\": 16", "\"height\": [16]"));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(CocoConverter.coco(), in, dir.resolve("x")));
    assertTrue(e.getMessage().matches(".*line \\d+ column \\d+ path \\$\\.images\\[1]\\.height: \"height\" is a BEGIN_ARRAY.*"),
        e.getMessage());

    Files.writeString(file, good.replaceFirst("0\\.0,\\s*8\\.0,\\s*8\\.0\\s*]", "0.0, 8.0]"));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(CocoConverter.coco(), in, dir.resolve("x")));
    assertTrue(e.getMessage().contains("path $.annotations[2].bbox: 3 numbers, expected 4"), e.getMessage());

    Files.writeString(file, good.substring(0, good.length() / 2));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(CocoConverter.coco(), in, dir.resolve("x")));
    assertEquals(file, e.file());

    Files.writeString(file, good);
    Files.delete(in.resolve("val/000000000285.jpg"));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(CocoConverter.coco(), in, dir.resolve("x")));
    assertEquals(in.resolve("val/000000000285.jpg"), e.file());
  }
}
