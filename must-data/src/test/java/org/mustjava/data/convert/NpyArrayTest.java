package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyArrayTest {
  @TempDir Path dir;

  /**
   * A version-1 .npy file exactly as numpy.save writes it: magic, version, little-endian header
   * length, a dict literal padded with spaces and a newline to a multiple of 64 bytes, the data.
   */
  static byte[] npy(String descr, boolean fortran, int[] shape, byte[] data) {
    StringBuilder dims = new StringBuilder();
    for (int d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
        : "(" + dims.substring(0, dims.length() - 2) + ")";
    String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
        + ", 'shape': " + shapeText + ", }";
    int total = 10 + header.length() + 1;
    int padded = (total + 63) / 64 * 64;
    header = header + " ".repeat(padded - total) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put(data);
    return b.array();
  }

  static byte[] floats(ByteOrder order, float... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
    for (float v : values) {
      b.putFloat(v);
    }
    return b.array();
  }

  @Test
  void readsFloat32InBothByteOrders() throws IOException {
    float[] v = {0.5f, 1.25f, -3f, 7f, 8f, 9f};
    Path little = Files.write(dir.resolve("l.npy"), npy("<f4", false, new int[] {2, 3, 1}, floats(ByteOrder.LITTLE_ENDIAN, v)));
    Path big = Files.write(dir.resolve("b.npy"), npy(">f4", false, new int[] {2, 3, 1}, floats(ByteOrder.BIG_ENDIAN, v)));
    for (Path p : new Path[] {little, big}) {
      NpyArray a = NpyArray.read(p);
      assertArrayEquals(new int[] {2, 3, 1}, a.shape());
      assertArrayEquals(v, a.values());
    }
  }

  @Test
  void reordersFortranArrays() throws IOException {
    // The 2x3 matrix [[1,2,3],[4,5,6]] in column-major order is 1,4,2,5,3,6.
    byte[] data = {1, 4, 2, 5, 3, 6};
    NpyArray a = NpyArray.read(Files.write(dir.resolve("f.npy"), npy("|u1", true, new int[] {2, 3}, data)));
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.values());
  }

  @Test
  void readsBoolIntAndHalf() throws IOException {
    assertArrayEquals(new float[] {1, 0, 1}, NpyArray.read(Files.write(dir.resolve("m.npy"),
        npy("|b1", false, new int[] {3}, new byte[] {1, 0, 1}))).values());
    ByteBuffer ints = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(300);
    assertArrayEquals(new float[] {-1, 300}, NpyArray.read(Files.write(dir.resolve("i.npy"),
        npy("<i4", false, new int[] {2}, ints.array()))).values());
    // float16: 0x3c00 = 1.0, 0xc000 = -2.0, 0x0001 = smallest subnormal 2^-24.
    ByteBuffer half = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001);
    assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, NpyArray.read(Files.write(dir.resolve("h.npy"),
        npy("<f2", false, new int[] {3}, half.array()))).values());
  }

  @Test
  void truncatedAndGarbageFilesAreNamed() throws IOException {
    Path truncated = Files.write(dir.resolve("t.npy"), npy("<f4", false, new int[] {4}, new byte[8]));
    DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> NpyArray.read(truncated));
    assertTrue(e.getMessage().startsWith(truncated + ": truncated .npy data"), e.getMessage());
    Path garbage = Files.writeString(dir.resolve("g.npy"), "hello, not numpy");
    e = assertThrows(DatasetFormatException.class, () -> NpyArray.read(garbage));
    assertEquals(garbage, e.file());
    Path odd = Files.write(dir.resolve("o.npy"), npy("<c8", false, new int[] {1}, new byte[8]));
    e = assertThrows(DatasetFormatException.class, () -> NpyArray.read(odd));
    assertTrue(e.getMessage().contains("unsupported dtype '<c8'"), e.getMessage());
  }
}
