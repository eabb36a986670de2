package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A numeric array read from a NumPy {@code .npy} file (format versions 1, 2 and 3), as DIODE ships
 * its depth maps, depth masks and normals. Values are converted to {@code float} and always held in
 * row-major (C) order; Fortran-ordered files are reordered on reading.
 */
public final class NpyArray {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private final int[] shape;
  private final float[] values;

  NpyArray(int[] shape, float[] values) {
    this.shape = shape;
    this.values = values;
  }

  /** Dimension sizes. */
  public int[] shape() {
    return shape.clone();
  }

  /** All elements in row-major order. */
  public float[] values() {
    return values;
  }

  /** Reads {@code file}; dtypes bool, (u)int8/16/32/64, float16/32/64 in either byte order. */
  public static NpyArray read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, ".npy file");
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    try {
      byte[] magic = new byte[MAGIC.length];
      buf.get(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new DatasetFormatException(file, "not a .npy file (bad magic)");
      }
      int major = buf.get() & 0xff;
      buf.get(); // minor version: no format differences that matter here
      int headerLength;
      if (major == 1) {
        headerLength = buf.getShort() & 0xffff;
      } else if (major == 2 || major == 3) {
        headerLength = buf.getInt();
      } else {
        throw new DatasetFormatException(file, "unsupported .npy version " + major);
      }
      byte[] headerBytes = new byte[headerLength];
      buf.get(headerBytes);
      String header =
          new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      String descr = find(file, DESCR, header, "descr");
      boolean fortran = find(file, FORTRAN, header, "fortran_order").equals("True");
      int[] shape = parseShape(file, find(file, SHAPE, header, "shape"));
      long count = 1;
      for (int d : shape) {
        count *= d;
      }
      if (count > Integer.MAX_VALUE - 8) {
        throw new DatasetFormatException(file, "array too large: " + Arrays.toString(shape));
      }
      float[] values = decode(file, descr, buf, (int) count);
      if (fortran && shape.length > 1) {
        values = fortranToC(values, shape);
      }
      return new NpyArray(shape, values);
    } catch (java.nio.BufferUnderflowException e) {
      throw new DatasetFormatException(file, "truncated .npy file");
    }
  }

  private static String find(Path file, Pattern pattern, String header, String key)
      throws DatasetFormatException {
    Matcher m = pattern.matcher(header);
    if (!m.find()) {
      throw new DatasetFormatException(file, "header has no '" + key + "': " + header.trim());
    }
    return m.group(1);
  }

  private static int[] parseShape(Path file, String text) throws DatasetFormatException {
    String[] parts = text.split(",");
    int n = 0;
    int[] shape = new int[parts.length];
    for (String part : parts) {
      if (!part.isBlank()) {
        try {
          shape[n++] = Integer.parseInt(part.trim().replace("L", ""));
        } catch (NumberFormatException e) {
          throw new DatasetFormatException(file, "bad shape (" + text + ")");
        }
      }
    }
    return Arrays.copyOf(shape, n);
  }

  private static float[] decode(Path file, String descr, ByteBuffer buf, int count)
      throws DatasetFormatException {
    if (descr.length() < 3) {
      throw new DatasetFormatException(file, "unsupported dtype '" + descr + "'");
    }
    char order = descr.charAt(0);
    buf.order(order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    String kind = descr.substring(1);
    int width;
    try {
      width = Integer.parseInt(kind.substring(1));
    } catch (NumberFormatException e) {
      throw new DatasetFormatException(file, "unsupported dtype '" + descr + "'");
    }
    if ((long) count * width > buf.remaining()) {
      throw new DatasetFormatException(
          file, "truncated .npy data: need " + (long) count * width + " bytes, found " + buf.remaining());
    }
    float[] out = new float[count];
    switch (kind) {
      case "b1", "u1" -> {
        for (int i = 0; i < count; i++) out[i] = buf.get() & 0xff;
      }
      case "i1" -> {
        for (int i = 0; i < count; i++) out[i] = buf.get();
      }
      case "u2" -> {
        for (int i = 0; i < count; i++) out[i] = buf.getShort() & 0xffff;
      }
      case "i2" -> {
        for (int i = 0; i < count; i++) out[i] = buf.getShort();
      }
      case "u4" -> {
        for (int i = 0; i < count; i++) out[i] = buf.getInt() & 0xffffffffL;
      }
      case "i4" -> {
        for (int i = 0; i < count; i++) out[i] = buf.getInt();
      }
      case "i8", "u8" -> {
        for (int i = 0; i < count; i++) out[i] = buf.getLong();
      }
      case "f2" -> {
        for (int i = 0; i < count; i++) out[i] = halfToFloat(buf.getShort());
      }
      case "f4" -> {
        for (int i = 0; i < count; i++) out[i] = buf.getFloat();
      }
      case "f8" -> {
        for (int i = 0; i < count; i++) out[i] = (float) buf.getDouble();
      }
      default -> throw new DatasetFormatException(file, "unsupported dtype '" + descr + "'");
    }
    return out;
  }

  /** IEEE 754 binary16 to binary32 (Java 17 has no library method for it). */
  static float halfToFloat(short half) {
    int h = half & 0xffff;
    int sign = (h >>> 15) << 31;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // subnormal (or zero)
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** Reorders column-major values into row-major order. */
  private static float[] fortranToC(float[] values, int[] shape) {
    float[] out = new float[values.length];
    int rank = shape.length;
    int[] index = new int[rank];
    for (int c = 0; c < values.length; c++) {
      // c enumerates row-major positions; compute the column-major offset of the same index.
      int f = 0;
      int stride = 1;
      for (int d = 0; d < rank; d++) {
        f += index[d] * stride;
        stride *= shape[d];
      }
      out[c] = values[f];
      for (int d = rank - 1; d >= 0; d--) {
        if (++index[d] < shape[d]) break;
        index[d] = 0;
      }
    }
    return out;
  }
}
