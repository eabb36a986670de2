package org.mustjava.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The framing checked against an independent bit-by-bit CRC32C and hand-assembled bytes. */
class TFRecordFormatTest {
  /** Reference CRC32C (Castagnoli, reflected polynomial 0x82F63B78), one bit at a time. */
  static long referenceCrc32c(byte[] data) {
    long crc = 0xffffffffL;
    for (byte b : data) {
      crc ^= b & 0xff;
      for (int k = 0; k < 8; k++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78L : crc >>> 1;
      }
    }
    return crc ^ 0xffffffffL;
  }

  /** The mask in unsigned 64-bit arithmetic, written independently of the production code. */
  static long referenceMask(long crc) {
    long rotated = ((crc >>> 15) | (crc << 17)) & 0xffffffffL;
    return (rotated + 0xa282ead8L) & 0xffffffffL;
  }

  @Test
  void crc32cKnownAnswer() {
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertEquals(0xE3069283L, referenceCrc32c(check));
    assertEquals((int) referenceMask(0xE3069283L), TFRecordFormat.maskedCrc32c(check));
  }

  @Test
  void maskRotatesRightFifteenThenAddsDelta() {
    // 0x00008000 rotated right by 15 is 1; 1 + 0xa282ead8 = 0xa282ead9.
    assertEquals(0xa282ead9, TFRecordFormat.mask(0x00008000));
    assertEquals(0xa282ead8, TFRecordFormat.mask(0));
  }

  @Test
  void frameMatchesHandAssembledBytes() {
    byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
    byte[] lengthBytes = {3, 0, 0, 0, 0, 0, 0, 0};
    long lengthCrc = referenceMask(referenceCrc32c(lengthBytes));
    long dataCrc = referenceMask(referenceCrc32c(data));
    byte[] expected = new byte[12 + 3 + 4];
    System.arraycopy(lengthBytes, 0, expected, 0, 8);
    putLE(expected, 8, lengthCrc);
    System.arraycopy(data, 0, expected, 12, 3);
    putLE(expected, 15, dataCrc);
    assertArrayEquals(expected, TFRecordFormat.frame(data));
  }

  @Test
  void emptyRecordIsSixteenBytes() {
    byte[] f = TFRecordFormat.frame(new byte[0]);
    assertEquals(16, f.length);
    assertEquals((int) referenceMask(referenceCrc32c(new byte[0])), TFRecordFormat.getIntLE(f, 12));
  }

  private static void putLE(byte[] b, int off, long v) {
    for (int i = 0; i < 4; i++) {
      b[off + i] = (byte) (v >>> (8 * i));
    }
  }
}
