package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/**
 * Converters on real published data from Debian packages, which {@code tools/setup} installs (and so
 * CI has): {@code labelme-examples} (PASCAL VOC 2011 images annotated with labelme and exported in
 * VOC and COCO layouts) and {@code dataset-fashion-mnist} (the full Fashion-MNIST IDX files). Each
 * test is skipped, saying which package to install, only when the files are absent.
 */
class ConverterDebianSamplesTest {
  private static final Path LABELME = Path.of("/usr/share/doc/labelme-examples/examples");
  private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path dir;

  private static void requirePackage(Path path, String pkg) {
    assumeTrue(Files.exists(path), "skipped: " + path + " is absent; install the Debian package '" + pkg
        + "' (tools/setup does; images that drop /usr/share/doc also drop labelme-examples' files)");
  }

  @Test
  @Tag("slow")
  void fashionMnistFull() throws IOException {
    requirePackage(FASHION.resolve("train-images-idx3-ubyte.gz"), "dataset-fashion-mnist");
    Path prefix = dir.resolve("fashion");
    ConversionJob job = Converted.run(MnistConverter.fashionMnist(), FASHION, prefix, 4, null, Map.of());
    assertEquals(60_000, job.results().get(0).records());
    assertEquals(10_000, job.results().get(1).records());
    assertEquals(4, job.results().get(0).shards().size());

    // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
    for (String split : List.of("train", "test")) {
      List<MultiTaskExample> examples = Converted.read(prefix, split);
      int[] perClass = new int[10];
      examples.forEach(e -> perClass[e.classLabel().getAsInt()]++);
      int expected = split.equals("train") ? 6_000 : 1_000;
      assertArrayEquals(new int[] {expected, expected, expected, expected, expected, expected, expected, expected,
          expected, expected}, perClass, split);
      // Pixels of a few images against the raw gzip bytes (header: 16 bytes; labels: 8 bytes).
      String stem = split.equals("train") ? "train" : "t10k";
      byte[] raw = gunzip(FASHION.resolve(stem + "-images-idx3-ubyte.gz"));
      byte[] labels = gunzip(FASHION.resolve(stem + "-labels-idx1-ubyte.gz"));
      for (int i : new int[] {0, 1, 4321, examples.size() - 1}) {
        ImageCodecs.Pixels p = ImageCodecs.decodeGray8(examples.get(i).encodedImage());
        assertArrayEquals(java.util.Arrays.copyOfRange(raw, 16 + i * 784, 16 + (i + 1) * 784), p.data(), split + " " + i);
        assertEquals(labels[8 + i], examples.get(i).classLabel().getAsInt());
      }
    }
    // The first training image of Fashion-MNIST is an ankle boot.
    assertEquals(9, Converted.read(prefix, "train").get(0).classLabel().getAsInt());
  }

  private static byte[] gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new DataInputStream(in).readAllBytes();
    }
  }

  @Test
  void labelmeVocDetection() throws IOException {
    Path voc = LABELME.resolve("bbox_detection/data_dataset_voc");
    requirePackage(voc, "labelme-examples");
    Path prefix = dir.resolve("det");
    ConversionJob job = Converted.run(new VocConverter(), voc, prefix);
    List<MultiTaskExample> ex = Converted.read(prefix, "train");
    assertEquals(List.of("2011_000003", "2011_000006", "2011_000025"), ex.stream().map(MultiTaskExample::sourceId).toList());
    ObjectBoxes b = ex.get(1).boxes().orElseThrow();
    assertEquals(4, b.size());
    assertArrayEquals(new int[] {15, 15, 15, 15}, b.classes(), "four persons (class_names.txt line 15)");
    // <xmin>91.0</xmin> <ymin>107.0</ymin> <xmax>240.0</xmax> <ymax>330.0</ymax> in a 500x375 image.
    assertArrayEquals(new float[] {107f / 375, 91f / 500, 330f / 375, 240f / 500}, b.box(0).toYxyx(), 1e-6f);
    assertArrayEquals(new boolean[4], b.difficult(), "labelme writes <difficult/>: not difficult");
    assertArrayEquals(Files.readAllBytes(voc.resolve("JPEGImages/2011_000006.jpg")), ex.get(1).encodedImage());
    assertEquals(375, ex.get(1).height());
    assertTrue(Files.readString(job.labelsFile()).contains("\n16\tpotted plant\tpotted plant\n"));
  }

  @Test
  void labelmeVocSegmentationMatchesItsNumpyExport() throws IOException {
    for (String example : List.of("semantic_segmentation", "video_annotation")) {
      Path voc = LABELME.resolve(example + "/data_dataset_voc");
      requirePackage(voc, "labelme-examples");
      Path prefix = dir.resolve(example);
      Converted.run(new VocConverter(), voc, prefix);
      List<MultiTaskExample> ex = Converted.read(prefix, "train");
      assertTrue(ex.size() >= 3, example);
      for (MultiTaskExample e : ex) {
        // labelme saved each mask twice: as a palette PNG and as an int32 .npy (-1 = ignore).
        NpyArray npy = NpyArray.read(voc.resolve("SegmentationClass/" + e.sourceId() + ".npy"));
        assertArrayEquals(new int[] {e.height(), e.width()}, npy.shape());
        byte[] mask = e.segmentation().orElseThrow();
        float[] expected = npy.values();
        for (int i = 0; i < mask.length; i++) {
          int want = expected[i] < 0 ? 255 : (int) expected[i];
          if ((mask[i] & 0xff) != want) {
            throw new AssertionError(example + "/" + e.sourceId() + " pixel " + i + ": " + (mask[i] & 0xff) + " != " + want);
          }
        }
      }
    }
  }

  @Test
  void labelmeCocoInstancesAgreeWithTheVocExport() throws IOException {
    Path coco = LABELME.resolve("instance_segmentation/data_dataset_coco");
    Path voc = LABELME.resolve("instance_segmentation/data_dataset_voc");
    requirePackage(coco, "labelme-examples");
    Path prefix = dir.resolve("coco");
    ConversionJob job = Converted.run(CocoConverter.coco(), coco, prefix);
    // Category 0 (_background_) stays 0, so labels equal the VOC class indices.
    assertTrue(Files.readString(job.labelsFile()).startsWith("label\tname\tsource_id\n0\t_background_\t0\n1\taeroplane\t1\n"));
    List<MultiTaskExample> ex = Converted.read(prefix, "train");
    assertEquals(List.of("0", "1", "2"), ex.stream().map(MultiTaskExample::sourceId).toList());
    assertEquals(12, ex.stream().mapToInt(e -> e.boxes().orElseThrow().size()).sum());
    // The same annotations exported as VOC masks: the classes of the boxes are the classes in the mask.
    Converted.run(new VocConverter(), voc, dir.resolve("voc"));
    Map<String, MultiTaskExample> masks = new java.util.HashMap<>();
    Converted.read(dir.resolve("voc"), "train").forEach(e -> masks.put(e.sourceId(), e));
    for (MultiTaskExample e : ex) {
      Set<Integer> boxClasses = new TreeSet<>();
      for (int c : e.boxes().orElseThrow().classes()) {
        boxClasses.add(c);
      }
      String name = switch (e.sourceId()) {
        case "0" -> "2011_000003";
        case "1" -> "2011_000025";
        default -> "2011_000006";
      };
      MultiTaskExample v = masks.get(name);
      assertArrayEquals(v.encodedImage(), e.encodedImage(), "same JPEG for " + name);
      Set<Integer> maskClasses = new TreeSet<>();
      for (byte b : v.segmentation().orElseThrow()) {
        int c = b & 0xff;
        if (c != 0 && c != 255) {
          maskClasses.add(c);
        }
      }
      assertEquals(maskClasses, boxClasses, name);
    }
    // bbox [191, 107, 123, 221] of the first person in the 500x338 image 2011_000003.
    assertArrayEquals(new float[] {107f / 338, 191f / 500, 328f / 338, 314f / 500},
        ex.get(0).boxes().orElseThrow().box(0).toYxyx(), 1e-6f);
  }
}
