package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class MnistConverterTest {
  @TempDir Path dir;

  /** Writes an MNIST-layout directory: {@code n} 4x3 images per split; image i has pixel value i*10+k. */
  static Path writeIdx(Path dir, int trainCount, int testCount, boolean gzip) throws IOException {
    Path in = Files.createDirectories(dir.resolve("mnist"));
    for (String split : List.of("train", "t10k")) {
      int n = split.equals("train") ? trainCount : testCount;
      byte[] pixels = new byte[n * 12];
      byte[] labels = new byte[n];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < 12; k++) {
          pixels[i * 12 + k] = (byte) (i * 10 + k);
        }
        labels[i] = (byte) ((i * 3 + (split.equals("train") ? 0 : 1)) % 10);
      }
      byte[] images = IdxFileTest.idx(new int[] {n, 4, 3}, pixels);
      byte[] labelFile = IdxFileTest.idx(new int[] {n}, labels);
      String ext = gzip ? ".gz" : "";
      Files.write(in.resolve(split + "-images-idx3-ubyte" + ext), gzip ? IdxFileTest.gzip(images) : images);
      Files.write(in.resolve(split + "-labels-idx1-ubyte" + ext), gzip ? IdxFileTest.gzip(labelFile) : labelFile);
    }
    return in;
  }

  @Test
  void convertsBothSplitsIntoShards() throws IOException {
    Path in = writeIdx(dir, 5, 2, true);
    Path prefix = dir.resolve("out/sub/fmnist");
    ConversionJob job = Converted.run(MnistConverter.fashionMnist(), in, prefix, 2, null, Map.of());

    assertEquals(List.of("train", "test"), job.results().stream().map(ConversionJob.SplitResult::split).toList());
    assertEquals(List.of(prefix.resolveSibling("fmnist-train-00000-of-00002"), prefix.resolveSibling("fmnist-train-00001-of-00002")),
        job.results().get(0).shards());
    List<MultiTaskExample> train = Converted.read(prefix, "train");
    assertEquals(5, train.size());
    for (int i = 0; i < 5; i++) {
      MultiTaskExample e = train.get(i);
      assertEquals("train/" + i, e.sourceId());
      assertEquals((i * 3) % 10, e.classLabel().getAsInt());
      assertEquals(4, e.height());
      assertEquals(3, e.width());
      ImageCodecs.Pixels p = ImageCodecs.decodeGray8(e.encodedImage());
      byte[] expected = new byte[12];
      for (int k = 0; k < 12; k++) {
        expected[k] = (byte) (i * 10 + k);
      }
      assertArrayEquals(expected, p.data());
    }
    List<MultiTaskExample> test = Converted.read(prefix, "test");
    assertEquals(List.of(1, 4), test.stream().map(e -> e.classLabel().getAsInt()).toList());
    String labels = Files.readString(job.labelsFile());
    assertTrue(labels.startsWith("label\tname\tsource_id\n0\tT-shirt/top\tT-shirt/top\n"), labels);
    assertTrue(labels.contains("\n9\tAnkle boot\t"), labels);
  }

  @Test
  void maxExamplesKeepsTheFirstNOfEachSplit() throws IOException {
    Path in = writeIdx(dir, 5, 2, false);
    Path prefix = dir.resolve("subset");
    ConversionJob job = new ConversionJob(in, prefix, 1, null, Map.of()).withMaxExamples(3);
    ConvertDataset.convert(MnistConverter.fashionMnist(), job);
    assertEquals(List.of("train/0", "train/1", "train/2"),
        Converted.read(prefix, "train").stream().map(MultiTaskExample::sourceId).toList());
    assertEquals(2, Converted.read(prefix, "test").size(), "a split smaller than N is kept whole");
    assertEquals(List.of(3L, 2L), job.results().stream().map(ConversionJob.SplitResult::records).toList());
    assertThrows(InvalidOptionException.class, () -> new ConversionJob(in, prefix, 1, null, Map.of()).withMaxExamples(0));
  }

  @Test
  void onlyTheRequestedSplitAndPlainFiles() throws IOException {
    Path in = writeIdx(dir, 3, 2, false);
    Path prefix = dir.resolve("mnist");
    Converted.run(MnistConverter.mnist(), in, prefix, 1, "test", Map.of());
    assertEquals(2, Converted.read(prefix, "test").size());
    assertTrue(Converted.shards(prefix, "train").isEmpty());
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(MnistConverter.mnist(), in, prefix, 1, "validation", Map.of()));
    assertTrue(e.getMessage().contains("no split 'validation' here (found: train, test)"), e.getMessage());
  }

  @Test
  void missingOrInconsistentFilesAreNamed() throws IOException {
    Path in = writeIdx(dir, 3, 2, false);
    Files.delete(in.resolve("t10k-labels-idx1-ubyte"));
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(MnistConverter.mnist(), in, dir.resolve("a")));
    assertEquals(in.resolve("t10k-labels-idx1-ubyte"), e.file());
    // The train split was complete and is committed; the failed test split left nothing behind.
    assertEquals(3, Converted.read(dir.resolve("a"), "train").size());
    assertTrue(Converted.shards(dir.resolve("a"), "test").isEmpty());

    Files.write(in.resolve("t10k-labels-idx1-ubyte"), IdxFileTest.idx(new int[] {5}, new byte[5]));
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(MnistConverter.mnist(), in, dir.resolve("b")));
    assertTrue(e.getMessage().contains("5 labels for 2 images"), e.getMessage());
  }
}
