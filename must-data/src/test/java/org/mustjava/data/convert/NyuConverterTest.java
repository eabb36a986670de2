package org.mustjava.data.convert;

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
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;

/** On the 2-image MATLAB v7.3 fixture made by fixtures/nyu/make_labeled_mat.py (values below). */
class NyuConverterTest {
  private static final int H = 6;
  private static final int W = 8;

  @TempDir Path dir;

  @Test
  void undoesMatlabsTransposeForImagesAndDepth() throws IOException {
    Path prefix = dir.resolve("nyu");
    // The fixture directory has a splits.mat: image 2 (1-based) is train, image 1 is test.
    ConversionJob job = Converted.run(new NyuConverter(), Fixtures.path("nyu"), prefix);
    assertEquals(List.of("train", "test"), job.results().stream().map(ConversionJob.SplitResult::split).toList());
    List<MultiTaskExample> ex = List.of(Converted.read(prefix, "test").get(0), Converted.read(prefix, "train").get(0));
    assertEquals(List.of("labeled/0", "labeled/1"), ex.stream().map(MultiTaskExample::sourceId).toList());
    for (int n = 0; n < 2; n++) {
      MultiTaskExample e = ex.get(n);
      assertEquals(H, e.height());
      assertEquals(W, e.width());
      ImageCodecs.Pixels p = ImageCodecs.decodeRgb(e.encodedImage());
      DepthMap depth = e.depth().orElseThrow();
      assertEquals(DepthMap.Encoding.PNG16, depth.encoding());
      float[] metres = depth.toFloats(H, W);
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          for (int c = 0; c < 3; c++) {
            assertEquals((50 * n + 80 * c + 10 * x + 3 * y) % 256, p.data()[(y * W + x) * 3 + c] & 0xff);
          }
          assertEquals(1.0 + n + 0.1 * x + 0.01 * y, metres[y * W + x], 0.0006, "depth at " + y + "," + x);
        }
      }
      assertFalse(e.segmentation().isPresent(), "no mask without --label_map");
    }
    assertFalse(Files.exists(job.labelsFile()));
  }

  @Test
  void labelMapGivesMasksAndNamesFromTheCellArray() throws IOException {
    Path map = Files.writeString(dir.resolve("map.txt"), "# NYU index -> class\n1 0\n2 1  # floor\n3 1\n");
    Path prefix = dir.resolve("seg");
    // Without a splits.mat next to it, all images form the one split named by --split.
    Path mat = Files.copy(Fixtures.path("nyu/nyu_depth_v2_labeled.mat"), dir.resolve("labeled.mat"));
    ConversionJob job = Converted.run(new NyuConverter(), mat, prefix, 1, "all", Map.of("label_map", map.toString()));
    List<MultiTaskExample> ex = Converted.read(prefix, "all");
    assertEquals(List.of("labeled/0", "labeled/1"), ex.stream().map(MultiTaskExample::sourceId).toList());
    for (int n = 0; n < 2; n++) {
      byte[] m = ex.get(n).segmentation().orElseThrow();
      for (int y = 0; y < H; y++) {
        for (int x = 0; x < W; x++) {
          int nyu = (x + y + n) % 4;
          int expected = nyu == 0 ? 255 : nyu == 1 ? 0 : 1;
          assertEquals(expected, m[y * W + x] & 0xff, "class at " + y + "," + x);
        }
      }
    }
    assertEquals("label\tname\tsource_id\n0\twall\t1\n1\tfloor;cabinet\t2,3\n", Files.readString(job.labelsFile()));

    Files.writeString(map, "1 300\n");
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Converted.run(new NyuConverter(),
        Fixtures.path("nyu"), dir.resolve("x"), 1, null, Map.of("label_map", map.toString())));
    assertTrue(e.getMessage().startsWith(map + ": line 1"), e.getMessage());
  }

  @Test
  void explicitSplitsFileAndOneSplitOfIt() throws IOException {
    Path mat = Files.copy(Fixtures.path("nyu/nyu_depth_v2_labeled.mat"), dir.resolve("labeled.mat"));
    Path prefix = dir.resolve("t");
    ConversionJob job = Converted.run(new NyuConverter(), mat, prefix, 1, "test",
        Map.of("splits", Fixtures.path("nyu/splits_uncompressed.mat").toString()));
    assertEquals(List.of("test"), job.results().stream().map(ConversionJob.SplitResult::split).toList());
    assertEquals("labeled/0", Converted.read(prefix, "test").get(0).sourceId());
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> Converted.run(new NyuConverter(), mat,
        prefix, 1, null, Map.of("splits", mat.toString())));
    assertTrue(e.getMessage().contains("not a MATLAB level-5 .mat file"), e.getMessage());
  }

  @Test
  void missingOrNonHdf5FilesAreNamed() throws IOException {
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new NyuConverter(), dir, dir.resolve("x")));
    assertEquals(dir.resolve(NyuConverter.FILE_NAME), e.file());
    Path fake = Files.writeString(dir.resolve("fake.mat"), "MATLAB 5.0 MAT-file, not HDF5");
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new NyuConverter(), fake, dir.resolve("x")));
    assertEquals(fake, e.file());
  }
}
