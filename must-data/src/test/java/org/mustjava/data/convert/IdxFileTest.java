package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
  @TempDir Path dir;

  /** An IDX file as the MNIST tools write it: big-endian header, then the bytes. */
  static byte[] idx(int[] shape, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x00000800 | shape.length);
    for (int d : shape) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(data);
    }
    return bytes.toByteArray();
  }

  @Test
  void readsPlainAndGzippedImages() throws IOException {
    byte[] pixels = new byte[2 * 3 * 2];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 20);
    }
    byte[] file = idx(new int[] {2, 3, 2}, pixels);
    Path plain = Files.write(dir.resolve("x-idx3-ubyte"), file);
    // gzip is recognised by content even without a .gz suffix.
    Path gz = Files.write(dir.resolve("y-idx3-ubyte"), gzip(file));
    for (Path p : new Path[] {plain, gz}) {
      IdxFile f = IdxFile.read(p);
      assertArrayEquals(new int[] {2, 3, 2}, f.shape());
      assertEquals(2, f.count());
      assertEquals(6, f.itemSize());
      assertArrayEquals(new byte[] {120, (byte) 140, (byte) 160, (byte) 180, (byte) 200, (byte) 220}, f.item(1));
    }
  }

  @Test
  void truncatedDataNamesFileAndSizes() throws IOException {
    byte[] file = idx(new int[] {4}, new byte[] {1, 2});
    Path p = Files.write(dir.resolve("labels-idx1-ubyte"), file);
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxFile.read(p));
    assertTrue(e.getMessage().startsWith(p.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("needs 4 bytes, found 2"), e.getMessage());
  }

  @Test
  void wrongMagicAndMissingFileAreNamed() throws IOException {
    Path p = Files.write(dir.resolve("bad"), new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0});
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxFile.read(p));
    assertTrue(e.getMessage().contains("not an unsigned-byte IDX file"), e.getMessage());
    Path missing = dir.resolve("missing-idx1-ubyte");
    e = assertThrows(DatasetFormatException.class, () -> IdxFile.read(missing));
    assertEquals(missing, e.file());
  }
}
