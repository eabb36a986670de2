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
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a TFRecord file (see {@link TFRecordFormat}), plain or GZIP, byte-compatible with
 * TensorFlow's own writer.
 *
 * <p>A writer made with {@link #create} is a transaction. The records go to a hidden temporary name
 * in the target directory; only {@link #commit()} completes the file and renames it to the final
 * name. {@link #close()} without a prior {@code commit()} <em>aborts</em>: it deletes the temporary
 * file and nothing appears under the final name. So the idiom is
 *
 * <pre>{@code
 * try (TFRecordWriter w = TFRecordWriter.create(path)) {
 *   for (byte[] record : records) {
 *     w.write(record);
 *   }
 *   w.commit(); // the last statement of the block
 * }
 * }</pre>
 *
 * (or {@link #write(Path, Compression, IOConsumer)}), and an exception anywhere in the block, or a
 * crash, leaves no file, not even a truncated one, under the final name. (Before this contract,
 * {@code close()} published the file, which try-with-resources also does while an exception
 * propagates; {@code ShardedTFRecordWriter} follows the same contract.) A writer whose own I/O
 * failed refuses to commit.
 *
 * <p>{@link #createInPlace} writes straight to the final name, for append-only logs that are read
 * while they grow (TensorBoard event files): there {@code close()} just finishes the file (as {@code
 * commit()} does), and readers of such files must tolerate a truncated tail.
 *
 * <p>Not thread-safe.
 */
public final class TFRecordWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(TFRecordWriter.class.getName());

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
   * Opens a writer that publishes {@code path} atomically on {@link #commit()} (and discards the
   * records if closed without it); parent directories are created. {@link Compression#AUTO} chooses
   * GZIP for names ending in {@code .gz}.
   */
  public static TFRecordWriter create(Path path, Compression compression) throws IOException {
    Compression c = compression.resolveForWriting(path);
    return new TFRecordWriter(path, AtomicFiles.createTempSibling(path), false, c);
  }

  /**
   * Opens a writer that writes directly to {@code path} (truncating it), for files read while
   * being written, such as TensorBoard event files. Not atomic: {@link #close()} finishes the file,
   * no {@link #commit()} needed.
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
      w.commit();
    } catch (IOException | RuntimeException | Error e) {
      try {
        w.abort(); // quietly: the exception says why
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
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
   * atomic writers the data is still under the temporary name until {@link #commit()}.
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
   * Finishes the file: flushes, syncs and (for atomic writers) renames it to the final name. Call it
   * once, after the last {@link #write}. A writer that failed deletes its temporary file and throws;
   * so does one whose finishing I/O fails.
   *
   * @throws IOException also when the writer was already committed or aborted
   */
  public void commit() throws IOException {
    switch (state) {
      case COMMITTED, ABORTED -> throw new IOException(target + ": TFRecordWriter already " + state.name().toLowerCase(Locale.ROOT));
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
   * Ends the writer. After {@link #commit()} (or {@link #abort()}) this does nothing. Otherwise an
   * atomic writer aborts: the temporary file is deleted, nothing appears under the final name, and a
   * warning says how many records were discarded; an in-place writer finishes its file as {@code
   * commit()} would.
   */
  @Override
  public void close() throws IOException {
    if (state == State.COMMITTED || state == State.ABORTED) {
      return;
    }
    if (tmp == null && state == State.OPEN) {
      commit();
      return;
    }
    if (state == State.OPEN) {
      LOG.log(System.Logger.Level.WARNING,
          "{0}: closed without commit(): discarding {1} record(s), the file was not written", target, records);
    }
    abort();
  }

  /**
   * Discards the file: closes the streams and deletes the temporary file (for in-place writers,
   * the partial file). Safe to call in any state; after {@link #commit()} it does nothing.
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
      throw new IOException(target + ": TFRecordWriter is " + state.name().toLowerCase(Locale.ROOT));
    }
  }
}
