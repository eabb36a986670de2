package org.mustjava.data.convert;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An unsigned-byte tensor in the IDX format of MNIST and Fashion-MNIST: a big-endian header
 * {@code 0x00 0x00 0x08 ndims}, {@code ndims} 32-bit dimension sizes, then the bytes in row-major
 * order. Files compressed with gzip are recognised by their content, whatever their name.
 */
public final class IdxFile {
  private static final int UNSIGNED_BYTE = 0x08;

  private final int[] shape;
  private final byte[] data;

  private IdxFile(int[] shape, byte[] data) {
    this.shape = shape;
    this.data = data;
  }

  /** Dimension sizes, e.g. {@code [60000, 28, 28]} for an image file. */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of items (the first dimension). */
  public int count() {
    return shape[0];
  }

  /** Bytes per item (the product of the remaining dimensions). */
  public int itemSize() {
    int size = 1;
    for (int i = 1; i < shape.length; i++) {
      size *= shape[i];
    }
    return size;
  }

  /** The bytes of item {@code index}. */
  public byte[] item(int index) {
    int size = itemSize();
    return Arrays.copyOfRange(data, index * size, (index + 1) * size);
  }

  /** Reads {@code file}, plain or gzip-compressed. */
  public static IdxFile read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "IDX file");
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
      raw.reset();
      InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
      return read(file, new DataInputStream(in));
    } catch (java.util.zip.ZipException e) {
      throw new DatasetFormatException(file, "corrupt gzip data: " + e.getMessage(), e);
    }
  }

  private static IdxFile read(Path file, DataInputStream in) throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw new DatasetFormatException(file, "truncated IDX header");
    }
    if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
      throw new DatasetFormatException(
          file, String.format("not an unsigned-byte IDX file (magic 0x%08x)", magic));
    }
    int ndims = magic & 0xff;
    if (ndims < 1 || ndims > 4) {
      throw new DatasetFormatException(file, "unsupported IDX rank " + ndims);
    }
    int[] shape = new int[ndims];
    long total = 1;
    try {
      for (int i = 0; i < ndims; i++) {
        shape[i] = in.readInt();
        if (shape[i] < 0) {
          throw new DatasetFormatException(file, "negative IDX dimension " + shape[i]);
        }
        total *= shape[i];
      }
    } catch (EOFException e) {
      throw new DatasetFormatException(file, "truncated IDX header");
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new DatasetFormatException(file, "IDX tensor too large: " + Arrays.toString(shape));
    }
    byte[] data = new byte[(int) total];
    int read = in.readNBytes(data, 0, data.length);
    if (read != data.length) {
      throw new DatasetFormatException(
          file,
          "truncated IDX data: shape " + Arrays.toString(shape) + " needs " + total
              + " bytes, found " + read);
    }
    return new IdxFile(shape, data);
  }
}
