package org.mustjava.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading hand-built files: good, corrupt, truncated, garbage, GZIP. */
class TFRecordReaderTest {
  @TempDir Path dir;

  private static final TFRecordReader.Options SKIP = TFRecordReader.Options.DEFAULT.withSkipCorrupt(true);

  /** Three records "r0" (offset 0), "rec1" (offset 18), "record2" (offset 38); 61 bytes. */
  private static byte[] threeRecords() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String s : List.of("r0", "rec1", "record2")) {
      b.write(TFRecordFormat.frame(s.getBytes()));
    }
    return b.toByteArray();
  }

  private Path file(String name, byte[] bytes) throws IOException {
    Path f = dir.resolve(name);
    Files.write(f, bytes);
    return f;
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(bytes);
    }
    return b.toByteArray();
  }

  private static List<String> strings(List<byte[]> recs) {
    return recs.stream().map(String::new).toList();
  }

  @Test
  void readsRecordsAndOffsets() throws IOException {
    Path f = file("good.tfrecord", threeRecords());
    try (TFRecordReader r = TFRecordReader.open(f)) {
      assertFalse(r.isGzip());
      assertEquals("r0", new String(r.next()));
      assertEquals(0, r.lastRecordOffset());
      assertEquals("rec1", new String(r.next()));
      assertEquals(18, r.lastRecordOffset());
      assertEquals("record2", new String(r.next()));
      assertEquals(38, r.lastRecordOffset());
      assertFalse(r.hasNext());
      assertEquals(3, r.recordCount());
      assertEquals(0, r.corruptCount());
      assertEquals(null, r.read());
    }
  }

  @Test
  void emptyFileHasNoRecords() throws IOException {
    assertEquals(List.of(), TFRecordReader.readAll(file("empty", new byte[0])));
  }

  @Test
  void dataCrcMismatchNamesFileAndOffset() throws IOException {
    byte[] b = threeRecords();
    b[18 + 12 + 1] ^= 0x01; // one bit of "rec1"
    Path f = file("bad-data.tfrecord", b);
    CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> TFRecordReader.readAll(f));
    assertEquals(CorruptRecordException.Kind.DATA_CRC, e.kind());
    assertEquals(18, e.offset());
    assertEquals(f, e.file());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("byte offset 18"), e.getMessage());

    // The stored data CRC itself flipped is the same failure.
    byte[] c = threeRecords();
    c[38 + 12 + 7] ^= (byte) 0x80;
    assertEquals(38, assertThrows(CorruptRecordException.class,
        () -> TFRecordReader.readAll(file("bad-footer", c))).offset());
  }

  @Test
  void lengthCrcMismatch() throws IOException {
    byte[] b = threeRecords();
    b[38] = 100; // length of "record2" changed
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> TFRecordReader.readAll(file("bad-len", b)));
    assertEquals(CorruptRecordException.Kind.LENGTH_CRC, e.kind());
    assertEquals(38, e.offset());
  }

  @Test
  void truncatedInDataOrHeader() throws IOException {
    byte[] b = threeRecords();
    CorruptRecordException inData = assertThrows(CorruptRecordException.class,
        () -> TFRecordReader.readAll(file("cut-data", Arrays.copyOf(b, b.length - 3))));
    assertEquals(CorruptRecordException.Kind.TRUNCATED, inData.kind());
    assertEquals(38, inData.offset());
    CorruptRecordException inHeader = assertThrows(CorruptRecordException.class,
        () -> TFRecordReader.readAll(file("cut-header", Arrays.copyOf(b, 38 + 5))));
    assertEquals(CorruptRecordException.Kind.TRUNCATED, inHeader.kind());
    assertEquals(38, inHeader.offset());
  }

  @Test
  void garbageFileFailsAtOffsetZero() throws IOException {
    Path f = file("notes.txt", "This is not a TFRecord file, just some text.\n".getBytes());
    CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> TFRecordReader.readAll(f));
    assertEquals(CorruptRecordException.Kind.LENGTH_CRC, e.kind());
    assertEquals(0, e.offset());
    try (TFRecordReader r = TFRecordReader.open(f, SKIP)) {
      assertFalse(r.hasNext());
      assertEquals(1, r.corruptCount());
    }
  }

  @Test
  void hugeLengthWithValidCrcIsTruncatedWithoutAllocating() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(TFRecordFormat.header(2_000_000_000L));
    b.write(new byte[20]);
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> TFRecordReader.readAll(file("huge", b.toByteArray())));
    assertEquals(CorruptRecordException.Kind.TRUNCATED, e.kind());
    b.reset();
    b.write(TFRecordFormat.header(1L << 40));
    assertEquals(CorruptRecordException.Kind.TOO_LARGE, assertThrows(CorruptRecordException.class,
        () -> TFRecordReader.readAll(file("too-large", b.toByteArray()))).kind());
  }

  @Test
  void iteratorWrapsCorruption() throws IOException {
    byte[] b = threeRecords();
    b[20] ^= 1;
    try (TFRecordReader r = TFRecordReader.open(file("x", b))) {
      r.next();
      UncheckedIOException e = assertThrows(UncheckedIOException.class, r::hasNext);
      assertInstanceOf(CorruptRecordException.class, e.getCause());
    }
  }

  @Test
  void skipCorruptStepsOverBadDataAndResyncsAfterBadHeader() throws IOException {
    byte[] badData = threeRecords();
    badData[18 + 12] ^= 1;
    try (TFRecordReader r = TFRecordReader.open(file("a", badData), SKIP)) {
      List<String> got = strings(List.of(r.next(), r.next()));
      assertEquals(List.of("r0", "record2"), got);
      assertFalse(r.hasNext());
      assertEquals(1, r.corruptCount());
      assertEquals(2, r.recordCount());
    }
    byte[] badHeader = threeRecords();
    badHeader[18] = 99;
    assertEquals(List.of("r0", "record2"), strings(TFRecordReader.readAll(file("b", badHeader), SKIP)));

    // Garbage inserted between records, then a truncated tail.
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(TFRecordFormat.frame("first".getBytes()));
    b.write("#### garbage ####".getBytes());
    b.write(TFRecordFormat.frame("second".getBytes()));
    byte[] third = TFRecordFormat.frame("third".getBytes());
    b.write(third, 0, third.length - 2);
    try (TFRecordReader r = TFRecordReader.open(file("c", b.toByteArray()), SKIP)) {
      assertEquals("first", new String(r.next()));
      assertEquals("second", new String(r.next()));
      assertFalse(r.hasNext());
      assertEquals(2, r.corruptCount());
    }
  }

  @Test
  void gzipByContentOrName() throws IOException {
    byte[] z = gzip(threeRecords());
    for (String name : List.of("no-suffix", "with.gz")) {
      try (TFRecordReader r = TFRecordReader.open(file(name, z))) {
        assertTrue(r.isGzip());
        assertEquals(3, strings(List.of(r.next(), r.next(), r.next())).size());
        assertFalse(r.hasNext());
      }
    }
    // Explicit NONE on a GZIP file: the GZIP header is not a TFRecord header.
    assertThrows(CorruptRecordException.class, () -> TFRecordReader.readAll(file("z", z),
        TFRecordReader.Options.DEFAULT.withCompression(Compression.NONE)));
  }

  @Test
  void plainFileMayStartWithGzipMagic() throws IOException {
    byte[] data = new byte[0x8b1f]; // length bytes 1f 8b 00 ...
    data[7] = 42;
    Path f = file("magic", TFRecordFormat.frame(data));
    try (TFRecordReader r = TFRecordReader.open(f)) {
      assertFalse(r.isGzip());
      assertArrayEquals(data, r.next());
    }
  }

  @Test
  void gzipCorruptionReportsUncompressedOffset() throws IOException {
    byte[] b = threeRecords();
    b[18 + 12] ^= 1;
    CorruptRecordException e = assertThrows(CorruptRecordException.class,
        () -> TFRecordReader.readAll(file("bad.gz", gzip(b))));
    assertEquals(18, e.offset());
    assertTrue(e.getMessage().contains("uncompressed byte offset 18"), e.getMessage());

    byte[] z = gzip(threeRecords());
    Path cut = file("cut.gz", Arrays.copyOf(z, z.length - 12)); // loses trailer and some data
    CorruptRecordException c = assertThrows(CorruptRecordException.class, () -> TFRecordReader.readAll(cut));
    assertTrue(c.kind() == CorruptRecordException.Kind.GZIP_STREAM
        || c.kind() == CorruptRecordException.Kind.TRUNCATED, c.kind().toString());
  }
}
