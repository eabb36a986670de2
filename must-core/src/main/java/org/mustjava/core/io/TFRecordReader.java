package org.mustjava.core.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the records of a TFRecord file (see {@link TFRecordFormat}), verifying both CRCs of every
 * record.
 *
 * <p>Compression is taken from {@link Options#compression()}; with {@link Compression#AUTO} a name
 * ending in {@code .gz} or content starting with the GZIP magic bytes (and not with a valid
 * TFRecord header) is read as GZIP.
 *
 * <p>By default a bad record ends reading with a {@link CorruptRecordException} naming the file and
 * the byte offset of the record (for GZIP files, the offset in the decompressed stream). With
 * {@link Options#withSkipCorrupt(boolean) skipCorrupt} a bad record is skipped instead: a record
 * whose header is intact but whose data CRC fails is stepped over; after a bad header or a truncated
 * record the reader scans forward byte by byte for the next position holding a complete record with
 * both CRCs valid. Each skipped stretch counts once in {@link #corruptCount()} and is logged.
 *
 * <p>Use {@link #read()} for checked exceptions; as an {@link Iterator} errors arrive as an
 * {@link UncheckedIOException} whose cause is the {@link CorruptRecordException}.
 */
public final class TFRecordReader implements Iterator<byte[]>, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TFRecordReader.class.getName());

  /** Reader settings; immutable, start from {@link #DEFAULT}. */
  public record Options(Compression compression, boolean skipCorrupt, int maxRecordBytes) {
    /** AUTO compression, strict (corruption throws), records up to 2 GiB minus a little. */
    public static final Options DEFAULT = new Options(Compression.AUTO, false, Integer.MAX_VALUE - 64);

    public Options {
      if (compression == null) {
        throw new IllegalArgumentException("compression must not be null (use AUTO)");
      }
      if (maxRecordBytes < 0 || maxRecordBytes > Integer.MAX_VALUE - 64) {
        throw new IllegalArgumentException("maxRecordBytes out of range: " + maxRecordBytes);
      }
    }

    public Options withCompression(Compression c) {
      return new Options(c, skipCorrupt, maxRecordBytes);
    }

    public Options withSkipCorrupt(boolean skip) {
      return new Options(compression, skip, maxRecordBytes);
    }

    public Options withMaxRecordBytes(int max) {
      return new Options(compression, skipCorrupt, max);
    }
  }

  private final Path file;
  private final Options options;
  private final boolean gzip;
  private final long plainSize; // file size when uncompressed, else -1
  private final Lookahead in;
  private byte[] next; // prefetched record for the iterator
  private boolean finished;
  private long records;
  private long corrupt;
  private long lastOffset = -1;

  private TFRecordReader(Path file, Options options) throws IOException {
    this.file = file;
    this.options = options;
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      this.gzip = switch (options.compression()) {
        case GZIP -> true;
        case NONE -> false;
        case AUTO -> Compression.hasGzipSuffix(file) || looksGzip(raw);
      };
      this.plainSize = gzip ? -1 : Files.size(file);
      InputStream source = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
      this.in = new Lookahead(source);
    } catch (ZipException | EOFException e) {
      raw.close();
      throw new CorruptRecordException(file, 0, true, CorruptRecordException.Kind.GZIP_STREAM, e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** Opens {@code file} with {@link Options#DEFAULT}. */
  public static TFRecordReader open(Path file) throws IOException {
    return new TFRecordReader(file, Options.DEFAULT);
  }

  public static TFRecordReader open(Path file, Options options) throws IOException {
    return new TFRecordReader(file, options);
  }

  /** Reads every record of {@code file} (strict). */
  public static List<byte[]> readAll(Path file) throws IOException {
    return readAll(file, Options.DEFAULT);
  }

  public static List<byte[]> readAll(Path file, Options options) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try (TFRecordReader r = open(file, options)) {
      for (byte[] rec; (rec = r.read()) != null; ) {
        out.add(rec);
      }
    }
    return out;
  }

  /**
   * How {@code file} is compressed, as a reader with {@link Compression#AUTO} decides: GZIP for a
   * {@code .gz} name or GZIP content, else NONE.
   */
  public static Compression detectCompression(Path file) throws IOException {
    if (Compression.hasGzipSuffix(file)) {
      return Compression.GZIP;
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 64)) {
      return looksGzip(in) ? Compression.GZIP : Compression.NONE;
    }
  }

  /** GZIP magic and not a valid TFRecord header (a plain file may legally start with 1f 8b). */
  private static boolean looksGzip(InputStream in) throws IOException {
    in.mark(TFRecordFormat.HEADER_BYTES);
    byte[] head = in.readNBytes(TFRecordFormat.HEADER_BYTES);
    in.reset();
    if (head.length < 2 || (head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b) {
      return false;
    }
    return head.length < TFRecordFormat.HEADER_BYTES
        || TFRecordFormat.maskedCrc32c(head, 0, 8) != TFRecordFormat.getIntLE(head, 8);
  }

  /**
   * The next record, or {@code null} at the end of the file.
   *
   * @throws CorruptRecordException on a bad record (unless skipping corrupt records)
   */
  public byte[] read() throws IOException {
    if (next != null) {
      byte[] r = next;
      next = null;
      return r;
    }
    return readRecord();
  }

  private byte[] readRecord() throws IOException {
    if (finished) {
      return null;
    }
    try {
      while (true) {
        long offset = in.position();
        int avail = in.fill(TFRecordFormat.HEADER_BYTES);
        if (avail == 0) {
          finished = true;
          return null;
        }
        String problem;
        CorruptRecordException.Kind kind;
        if (avail < TFRecordFormat.HEADER_BYTES) {
          kind = CorruptRecordException.Kind.TRUNCATED;
          problem = "file ends " + avail + " bytes into a 12-byte record header";
        } else if (!headerValid()) {
          kind = CorruptRecordException.Kind.LENGTH_CRC;
          problem = null;
        } else {
          long length = TFRecordFormat.getLongLE(in.buf, in.start);
          int total = recordTotal(length);
          if (total < 0) {
            kind = CorruptRecordException.Kind.TOO_LARGE;
            problem = "length " + Long.toUnsignedString(length) + " > " + options.maxRecordBytes();
          } else if ((plainSize >= 0 && offset + total > plainSize) || in.fill(total) < total) {
            kind = CorruptRecordException.Kind.TRUNCATED;
            problem = "record of " + length + " bytes, file ends at "
                + (plainSize >= 0 ? plainSize : in.position() + in.buffered()) ;
          } else if (!dataValid((int) length)) {
            kind = CorruptRecordException.Kind.DATA_CRC;
            problem = "record length " + length;
            if (options.skipCorrupt()) {
              in.skip(total);
              noteSkipped(kind, offset, problem);
              continue;
            }
          } else {
            byte[] data = new byte[(int) length];
            System.arraycopy(in.buf, in.start + TFRecordFormat.HEADER_BYTES, data, 0, data.length);
            in.skip(total);
            records++;
            lastOffset = offset;
            return data;
          }
        }
        if (!options.skipCorrupt()) {
          finished = true;
          throw new CorruptRecordException(file, offset, gzip, kind, problem);
        }
        noteSkipped(kind, offset, problem);
        resync();
      }
    } catch (ZipException | EOFException e) {
      // The decompressor found a damaged or cut-off GZIP stream: nothing after this is readable.
      finished = true;
      CorruptRecordException ex = new CorruptRecordException(
          file, in.position(), true, CorruptRecordException.Kind.GZIP_STREAM, e.getMessage(), e);
      if (!options.skipCorrupt()) {
        throw ex;
      }
      noteSkipped(ex.kind(), in.position(), e.getMessage());
      return null;
    }
  }

  /** Total framed size for a header's length, or -1 if larger than allowed. */
  private int recordTotal(long length) {
    if (length < 0 || length > options.maxRecordBytes()) {
      return -1;
    }
    return (int) length + TFRecordFormat.HEADER_BYTES + TFRecordFormat.FOOTER_BYTES;
  }

  private boolean headerValid() {
    return TFRecordFormat.maskedCrc32c(in.buf, in.start, 8) == TFRecordFormat.getIntLE(in.buf, in.start + 8);
  }

  private boolean dataValid(int length) {
    int dataStart = in.start + TFRecordFormat.HEADER_BYTES;
    return TFRecordFormat.maskedCrc32c(in.buf, dataStart, length)
        == TFRecordFormat.getIntLE(in.buf, dataStart + length);
  }

  /** Advances at least one byte, to the next offset where a complete valid record starts (or EOF). */
  private void resync() throws IOException {
    in.skip(1);
    while (in.fill(TFRecordFormat.HEADER_BYTES) >= TFRecordFormat.HEADER_BYTES) {
      if (headerValid()) {
        int total = recordTotal(TFRecordFormat.getLongLE(in.buf, in.start));
        if (total >= 0
            && (plainSize < 0 || in.position() + total <= plainSize)
            && in.fill(total) >= total
            && dataValid(total - TFRecordFormat.HEADER_BYTES - TFRecordFormat.FOOTER_BYTES)) {
          return;
        }
      }
      in.skip(1);
    }
    in.skip(in.buffered()); // a tail too short for a record
  }

  private void noteSkipped(CorruptRecordException.Kind kind, long offset, String problem) {
    corrupt++;
    LOG.log(System.Logger.Level.WARNING, "{0}: skipping {1} at {2}byte offset {3}{4} ({5} skipped so far)",
        file, kind.description(), gzip ? "uncompressed " : "", offset,
        problem == null ? "" : " (" + problem + ")", corrupt);
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        next = readRecord();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return next != null;
  }

  @Override
  public byte[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException(file + ": no more records");
    }
    byte[] r = next;
    next = null;
    return r;
  }

  /** Records returned so far. */
  public long recordCount() {
    return records;
  }

  /** Corrupt stretches skipped so far (always 0 unless skipping corrupt records). */
  public long corruptCount() {
    return corrupt;
  }

  /** Byte offset (decompressed for GZIP) at which the last returned record starts, or -1. */
  public long lastRecordOffset() {
    return lastOffset;
  }

  /** Whether the file is being read as GZIP. */
  public boolean isGzip() {
    return gzip;
  }

  public Path file() {
    return file;
  }

  @Override
  public void close() throws IOException {
    finished = true;
    in.source.close();
  }

  /** A growable read-ahead buffer over a stream that can look at bytes before consuming them. */
  private static final class Lookahead {
    final InputStream source;
    byte[] buf = new byte[1 << 16];
    int start;
    int end;
    long consumed; // stream position of buf[start]
    boolean eof;

    Lookahead(InputStream source) {
      this.source = source;
    }

    long position() {
      return consumed;
    }

    int buffered() {
      return end - start;
    }

    /** Tries to have {@code n} bytes buffered; returns how many are (may be fewer only at EOF). */
    int fill(int n) throws IOException {
      if (end - start >= n) {
        return n;
      }
      if (buf.length - start < n) {
        byte[] bigger = n > buf.length ? new byte[Math.max(n, (int) Math.min(Integer.MAX_VALUE - 8, 2L * buf.length))] : buf;
        System.arraycopy(buf, start, bigger, 0, end - start);
        end -= start;
        start = 0;
        buf = bigger;
      }
      while (end - start < n && !eof) {
        int r = source.read(buf, end, buf.length - end);
        if (r < 0) {
          eof = true;
        } else {
          end += r;
        }
      }
      return Math.min(n, end - start);
    }

    void skip(int n) {
      start += n;
      consumed += n;
    }
  }
}
