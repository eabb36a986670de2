package org.mustjava.core.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The TFRecord framing, as TensorFlow's {@code RecordWriter} writes it:
 *
 * <pre>
 *   uint64 length            (little-endian)
 *   uint32 masked_crc32c(length bytes)
 *   byte   data[length]
 *   uint32 masked_crc32c(data)
 * </pre>
 *
 * The mask ({@code rotate right 15, add 0xa282ead8}) keeps a CRC of data that itself contains CRCs
 * from being trivially related to it.
 */
public final class TFRecordFormat {
  /** Bytes before the data: length (8) and its masked CRC (4). */
  public static final int HEADER_BYTES = 12;
  /** Bytes after the data: its masked CRC. */
  public static final int FOOTER_BYTES = 4;

  private static final int MASK_DELTA = 0xa282ead8;

  private TFRecordFormat() {}

  /** Masked CRC32C of {@code len} bytes of {@code data} from {@code off}. */
  public static int maskedCrc32c(byte[] data, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(data, off, len);
    return mask((int) crc.getValue());
  }

  /** Masked CRC32C of all of {@code data}. */
  public static int maskedCrc32c(byte[] data) {
    return maskedCrc32c(data, 0, data.length);
  }

  /** Applies TensorFlow's CRC mask to a raw CRC32C value. */
  public static int mask(int crc) {
    return Integer.rotateRight(crc, 15) + MASK_DELTA;
  }

  /** The 12-byte header of a record of {@code length} bytes. */
  public static byte[] header(long length) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(length);
    b.putInt(maskedCrc32c(b.array(), 0, 8));
    return b.array();
  }

  /** One complete framed record (header, data, footer): handy for tests and for byte-level pipelines. */
  public static byte[] frame(byte[] data) {
    ByteBuffer b =
        ByteBuffer.allocate(HEADER_BYTES + data.length + FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.put(header(data.length));
    b.put(data);
    b.putInt(maskedCrc32c(data));
    return b.array();
  }

  /** Reads a little-endian uint32 at {@code off}. */
  static int getIntLE(byte[] b, int off) {
    return (b[off] & 0xff)
        | (b[off + 1] & 0xff) << 8
        | (b[off + 2] & 0xff) << 16
        | (b[off + 3] & 0xff) << 24;
  }

  /** Reads a little-endian uint64 at {@code off} (as a possibly negative long when >= 2^63). */
  static long getLongLE(byte[] b, int off) {
    return (getIntLE(b, off) & 0xffffffffL) | ((long) getIntLE(b, off + 4) << 32);
  }
}
