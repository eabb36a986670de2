package org.mustjava.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a TFRecord file (see {@link TFRecordFormat}), plain or GZIP, byte-compatible with
 * TensorFlow's own writer.
 *
 * <p>Files made with {@link #create} are written under a hidden temporary name in the target
 * directory and renamed to the final name by {@link #close()}: a crash never leaves a half file
 * under the final name. If the work that produces the records fails, call {@link #abort()} (or use
 * {@link #write(Path, Compression, IOConsumer)}, which does so) so that the temporary file is deleted
 * instead of committed. A writer whose own I/O failed refuses to commit and deletes its file on close.
 *
 * <p>{@link #createInPlace} writes straight to the final name, for append-only logs that are read
 * while they grow (TensorBoard event files); readers of such files must tolerate a truncated tail.
 *
 * <p>Not thread-safe.
 */
public final class TFRecordWriter implements AutoCloseable {
  private enum State { OPEN, FAILED, COMMITTED, ABORTED }

  private final Path target;
  private final Path tmp; // null when writing in place
  private final Compression compression;
  private final FileChannel channel;
  private final OutputStream raw; // buffered file stream
  private final GZIPOutputStream gzip; // null when uncompressed
  private final OutputStream out; // where records go
  private final ByteBuffer footer = ByteBuffer.allocate(TFRecordFormat.FOOTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
  private State state = State.OPEN;
  private long records;

  private TFRecordWriter(Path target, Path file, boolean inPlace, Compression compression) throws IOException {
    this.target = target;
    this.tmp = inPlace ? null : file;
    this.compression = compression;
    FileChannel ch = null;
    try {
      ch = inPlace
          ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)
          : FileChannel.open(file, StandardOpenOption.WRITE);
      this.raw = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
      // syncFlush: flush() emits everything written so far, so a reader can follow the file.
      this.gzip = compression == Compression.GZIP ? new GZIPOutputStream(raw, 1 << 16, true) : null;
      this.out = gzip != null ? new BufferedOutputStream(gzip, 1 << 16) : raw;
      this.channel = ch;
    } catch (IOException | RuntimeException e) {
      if (ch != null) {
        ch.close();
      }
      if (!inPlace) {
        Files.deleteIfExists(file);
      }
      throw e;
    }
  }

  /** Opens a writer for {@code path}, GZIP-compressed if its name ends in {@code .gz}. */
  public static TFRecordWriter create(Path path) throws IOException {
    return create(path, Compression.AUTO);
  }

  /**
   * Opens a writer that commits {@code path} atomically on {@link #close()}; parent directories are
   * created. {@link Compression#AUTO} chooses GZIP for names ending in {@code .gz}.
   */
  public static TFRecordWriter create(Path path, Compression compression) throws IOException {
    Compression c = compression.resolveForWriting(path);
    return new TFRecordWriter(path, AtomicFiles.createTempSibling(path), false, c);
  }

  /**
   * Opens a writer that writes directly to {@code path} (truncating it), for files read while
   * being written, such as TensorBoard event files. Not atomic.
   */
  public static TFRecordWriter createInPlace(Path path, Compression compression) throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    return new TFRecordWriter(path, path, true, compression.resolveForWriting(path));
  }

  /**
   * Writes {@code path} atomically with the records {@code body} writes: if {@code body} throws,
   * nothing appears under {@code path} and the exception propagates.
   */
  public static void write(Path path, Compression compression, IOConsumer<TFRecordWriter> body)
      throws IOException {
    TFRecordWriter w = create(path, compression);
    try {
      body.accept(w);
    } catch (IOException | RuntimeException | Error e) {
      w.abort();
      throw e;
    }
    w.close();
  }

  /** Appends one record. */
  public void write(byte[] data) throws IOException {
    write(data, 0, data.length);
  }

  /** Appends one record made of {@code len} bytes of {@code data} from {@code off}. */
  public void write(byte[] data, int off, int len) throws IOException {
    ensureOpen();
    try {
      out.write(TFRecordFormat.header(len));
      out.write(data, off, len);
      footer.clear();
      footer.putInt(TFRecordFormat.maskedCrc32c(data, off, len));
      out.write(footer.array());
      records++;
    } catch (IOException | RuntimeException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /**
   * Pushes buffered records (and, for GZIP, a sync-flushed block) to the operating system. For
   * atomic writers the data is still under the temporary name until {@link #close()}.
   */
  public void flush() throws IOException {
    ensureOpen();
    try {
      out.flush();
    } catch (IOException e) {
      state = State.FAILED;
      throw e;
    }
  }

  /** Number of records written so far. */
  public long recordCount() {
    return records;
  }

  /** The final file name. */
  public Path path() {
    return target;
  }

  public Compression compression() {
    return compression;
  }

  /**
   * Finishes the file: flushes, syncs and (for atomic writers) renames it to the final name. A
   * writer that failed or was aborted deletes its temporary file instead and, if it failed, throws.
   * Calling close again does nothing.
   */
  @Override
  public void close() throws IOException {
    switch (state) {
      case COMMITTED, ABORTED -> {
        return;
      }
      case FAILED -> {
        abort();
        throw new IOException(target + ": not written because an earlier write failed");
      }
      case OPEN -> {
        try {
          out.flush();
          if (gzip != null) {
            gzip.finish(); // writes the GZIP trailer
          }
          raw.flush();
          channel.force(true);
          channel.close();
          if (tmp != null) {
            AtomicFiles.commit(tmp, target);
          }
        } catch (IOException | RuntimeException e) {
          state = State.FAILED;
          try {
            abort();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        }
        state = State.COMMITTED;
      }
    }
  }

  /**
   * Discards the file: closes the streams and deletes the temporary file (for in-place writers,
   * the partial file). Safe to call in any state; after a successful close it does nothing.
   */
  public void abort() throws IOException {
    if (state == State.COMMITTED || state == State.ABORTED) {
      return;
    }
    state = State.ABORTED;
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(tmp != null ? tmp : target);
    }
  }

  private void ensureOpen() throws IOException {
    if (state != State.OPEN) {
      throw new IOException(target + ": TFRecordWriter is " + state.name().toLowerCase());
    }
  }
}
