package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.MultiTaskExample;

/** On the numpy-written fixture of fixtures/make_fixtures.py (4x6 scans). */
class DiodeConverterTest {
  @TempDir Path dir;

  @Test
  void depthWithMaskAndNormals() throws IOException {
    Path prefix = dir.resolve("diode");
    Converted.run(new DiodeConverter(), Fixtures.path("diode"), prefix);
    List<MultiTaskExample> val = Converted.read(prefix, "val");
    assertEquals(List.of("val/indoors/scene_00019/scan_00183/00019_00183_indoors_000_010",
        "val/outdoor/scene_00022/scan_00193/00022_00193_outdoor_000_010"),
        val.stream().map(MultiTaskExample::sourceId).toList());
    MultiTaskExample indoor = val.get(0);
    DepthMap depth = indoor.depth().orElseThrow();
    assertEquals(DepthMap.Encoding.RAW_FLOAT32, depth.encoding());
    assertFalse(depth.relative());
    float[] d = depth.toFloats(4, 6);
    assertEquals(0f, d[0], "masked pixel");
    assertEquals(1.5f, d[1]);
    assertEquals(1.0f + 0.5f * 23, d[23]);
    float[] n = indoor.normals().orElseThrow();
    assertArrayEquals(new float[] {0f, 0f, -1f}, java.util.Arrays.copyOfRange(n, 0, 3));
    int p = (1 * 6 + 2) * 3;
    assertArrayEquals(new float[] {0.6f, 0f, -0.8f}, java.util.Arrays.copyOfRange(n, p, p + 3));
    assertFalse(val.get(1).normals().isPresent(), "outdoor scan has no normals file");
    assertEquals(1, Converted.read(prefix, "train").size());
  }

  @Test
  void shapeMismatchAndMissingMaskAreNamed() throws IOException {
    Path scan = Files.createDirectories(dir.resolve("in/val/indoors/scene_1/scan_1"));
    Path png = Fixtures.path("diode/val/indoors/scene_00019/scan_00183/00019_00183_indoors_000_010.png");
    Files.copy(png, scan.resolve("a.png"));
    byte[] floats = NpyArrayTest.floats(ByteOrder.LITTLE_ENDIAN, new float[12]);
    Files.write(scan.resolve("a_depth.npy"), NpyArrayTest.npy("<f4", false, new int[] {3, 4, 1}, floats));
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new DiodeConverter(), dir.resolve("in"), dir.resolve("x")));
    assertEquals(scan.resolve("a_depth.npy"), e.file());
    assertTrue(e.getMessage().contains("shape [3, 4, 1] does not match the 4x6 image"), e.getMessage());

    Files.copy(Fixtures.path("diode/val/indoors/scene_00019/scan_00183/00019_00183_indoors_000_010_depth.npy"),
        scan.resolve("a_depth.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new DiodeConverter(), dir.resolve("in"), dir.resolve("x")));
    assertEquals(scan.resolve("a_depth_mask.npy"), e.file());
  }
}
