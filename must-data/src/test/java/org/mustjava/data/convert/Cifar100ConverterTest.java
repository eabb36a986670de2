package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;

class Cifar100ConverterTest {
  @TempDir Path dir;

  /** The generator's pixel formula (fixtures/cifar100/make_cifar100_python.py). */
  static int pixel(int seed, int image, int row, int col, int channel) {
    return (seed + 3 * image + 5 * row + 7 * col + 11 * channel) % 256;
  }

  static void assertPixels(MultiTaskExample e, int seed, int image) {
    ImageCodecs.Pixels p = ImageCodecs.decodeRgb(e.encodedImage());
    assertEquals(32, p.height());
    assertEquals(32, p.width());
    for (int[] rc : new int[][] {{0, 0}, {4, 9}, {31, 31}, {17, 2}}) {
      for (int c = 0; c < 3; c++) {
        assertEquals(pixel(seed, image, rc[0], rc[1], c), p.data()[(rc[0] * 32 + rc[1]) * 3 + c] & 0xff,
            "image " + image + " pixel " + rc[0] + "," + rc[1] + " channel " + c);
      }
    }
  }

  @Test
  void convertsThePythonVersion() throws IOException {
    // The parent of cifar-100-python/ works as input too.
    Path prefix = dir.resolve("cifar");
    ConversionJob job = Converted.run(new Cifar100Converter(), Fixtures.path("cifar100"), prefix);
    List<MultiTaskExample> train = Converted.read(prefix, "train");
    assertEquals(List.of(2, 0, 3), train.stream().map(e -> e.classLabel().getAsInt()).toList());
    assertEquals("img_training batch 1 of 1_1.png", train.get(1).sourceId());
    for (int i = 0; i < 3; i++) {
      assertPixels(train.get(i), 0, i);
    }
    List<MultiTaskExample> test = Converted.read(prefix, "test");
    assertEquals(List.of(1, 3), test.stream().map(e -> e.classLabel().getAsInt()).toList());
    assertPixels(test.get(1), 100, 1);
    assertEquals("label\tname\tsource_id\n0\tapple\tapple\n1\taquarium_fish\taquarium_fish\n2\tbaby\tbaby\n3\tbear\tbear\n",
        Files.readString(job.labelsFile()));
  }

  /** Writes the binary version: per image a coarse byte, a fine byte and 3072 planar pixels. */
  private Path writeBinary(int[] fine, int seed) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("cifar-100-binary"));
    byte[] data = new byte[fine.length * 3074];
    for (int i = 0; i < fine.length; i++) {
      data[i * 3074] = 7;
      data[i * 3074 + 1] = (byte) fine[i];
      for (int c = 0; c < 3; c++) {
        for (int r = 0; r < 32; r++) {
          for (int col = 0; col < 32; col++) {
            data[i * 3074 + 2 + c * 1024 + r * 32 + col] = (byte) pixel(seed, i, r, col, c);
          }
        }
      }
    }
    Files.write(bin.resolve("train.bin"), data);
    Files.writeString(bin.resolve("fine_label_names.txt"), "apple\naquarium_fish\nbaby\n");
    return bin;
  }

  @Test
  void convertsTheBinaryVersion() throws IOException {
    Path bin = writeBinary(new int[] {2, 1}, 5);
    Path prefix = dir.resolve("out/bin");
    Converted.run(new Cifar100Converter(), dir, prefix);
    List<MultiTaskExample> train = Converted.read(prefix, "train");
    assertEquals(List.of(2, 1), train.stream().map(e -> e.classLabel().getAsInt()).toList());
    assertPixels(train.get(0), 5, 0);
    assertPixels(train.get(1), 5, 1);

    byte[] bytes = Files.readAllBytes(bin.resolve("train.bin"));
    Files.write(bin.resolve("train.bin"), java.util.Arrays.copyOf(bytes, bytes.length - 10));
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new Cifar100Converter(), dir, prefix));
    assertTrue(e.getMessage().startsWith(bin.resolve("train.bin") + ": size"), e.getMessage());
  }

  @Test
  void labelOutsideTheClassListIsAnError() throws IOException {
    writeBinary(new int[] {0, 3}, 0); // only 3 names
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new Cifar100Converter(), dir, dir.resolve("x"), 1, null, Map.of()));
    assertTrue(e.getMessage().contains("fine label 3 of 'train/1' is not in 0..2"), e.getMessage());
  }

  @Test
  void notACifarDirectory() {
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new Cifar100Converter(), dir, dir.resolve("x")));
    assertTrue(e.getMessage().contains("not a CIFAR-100 directory"), e.getMessage());
  }
}
