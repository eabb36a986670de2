package org.mustjava.data.tfrecord;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;

/**
 * Writes records into shards named {@code PREFIX-00000-of-00008} (the TensorFlow convention), either
 * round-robin over a fixed number of shards or filling shards of a fixed record count.
 *
 * <p>The writer is a transaction. Every shard is written under a hidden temporary name; only
 * {@link #commit()} completes the shards and gives them their final names, and only after all of
 * them are complete. {@link #close()} without a prior {@code commit()} <em>aborts</em>: it deletes
 * the temporary files and no final name appears. So the idiom is
 *
 * <pre>{@code
 * try (ShardedTFRecordWriter out = ShardedTFRecordWriter.roundRobin(prefix, 8, Compression.NONE)) {
 *   for (byte[] record : records) {
 *     out.write(record);
 *   }
 *   List<Path> shards = out.commit(); // the last statement of the block
 * }
 * }</pre>
 *
 * and an exception anywhere in the block (a bad input, an interrupted run) leaves nothing under a
 * final name: a failed run can never publish a half data set that a later run would mistake for a
 * complete one. (Before this contract, {@code close()} committed, which try-with-resources also does
 * while an exception propagates.) {@link #abort()} discards explicitly; a failed {@code write}
 * aborts by itself.
 *
 * <p>After committing, shards of the same prefix with a different total ({@code
 * PREFIX-?????-of-NNNNN} left by an earlier run with another shard count) are deleted so that
 * {@code PREFIX-*} names exactly one consistent set. Renaming several files cannot be atomic: if a
 * rename fails during {@code commit()}, the shards already renamed by it are deleted again and the
 * error is thrown.
 *
 * <p>Not thread-safe.
 */
public final class ShardedTFRecordWriter implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ShardedTFRecordWriter.class.getName());

  private final Path prefix;
  private final Compression compression;
  private final int fixedShards; // > 0 for round-robin
  private final long recordsPerShard; // > 0 for fill-by-count
  private final List<TFRecordWriter> writers = new ArrayList<>();
  private final List<Path> tmpNames = new ArrayList<>();
  private final String token = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
  private long records;
  private State state = State.OPEN;

  private enum State { OPEN, COMMITTED, ABORTED }

  private ShardedTFRecordWriter(Path prefix, Compression compression, int fixedShards, long recordsPerShard)
      throws IOException {
    this.prefix = prefix;
    this.compression = compression;
    this.fixedShards = fixedShards;
    this.recordsPerShard = recordsPerShard;
    try {
      for (int i = 0; i < fixedShards; i++) {
        openShard(i);
      }
    } catch (IOException | RuntimeException e) {
      abortSuppressing(e);
      throw e;
    }
  }

  /** Record {@code i} goes to shard {@code i % numShards}. */
  public static ShardedTFRecordWriter roundRobin(Path prefix, int numShards, Compression compression)
      throws IOException {
    if (numShards < 1 || numShards > 99_999) {
      throw new IllegalArgumentException("number of shards must be in 1..99999, got " + numShards);
    }
    return new ShardedTFRecordWriter(prefix, compression, numShards, 0);
  }

  /**
   * Shards of {@code recordsPerShard} consecutive records (the last may be shorter); the total is
   * known, and written into the names, at {@link #commit()}.
   */
  public static ShardedTFRecordWriter byCount(Path prefix, long recordsPerShard, Compression compression)
      throws IOException {
    if (recordsPerShard < 1) {
      throw new IllegalArgumentException("records per shard must be >= 1, got " + recordsPerShard);
    }
    return new ShardedTFRecordWriter(prefix, compression, 0, recordsPerShard);
  }

  /** The name of shard {@code index} of {@code total}: {@code PREFIX-00003-of-00008}. */
  public static Path shardName(Path prefix, int index, int total) {
    return prefix.resolveSibling(String.format("%s-%05d-of-%05d", prefix.getFileName(), index, total));
  }

  private void openShard(int index) throws IOException {
    // Final names are only known at the end (for byCount): write under a placeholder name whose
    // own temporary file is what exists on disk until close.
    Path placeholder = prefix.resolveSibling(String.format(".%s-%05d.%s.shard", prefix.getFileName(), index, token));
    tmpNames.add(placeholder);
    writers.add(TFRecordWriter.create(placeholder, compression));
  }

  /** Appends one record to its shard. */
  public void write(byte[] record) throws IOException {
    if (state != State.OPEN) {
      throw new IOException(prefix + ": sharded writer is " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    try {
      int shard;
      if (fixedShards > 0) {
        shard = (int) (records % fixedShards);
      } else {
        shard = (int) (records / recordsPerShard);
        if (shard == writers.size()) {
          if (shard >= 99_999) {
            throw new IOException(prefix + ": more than 99999 shards");
          }
          openShard(shard);
        }
      }
      writers.get(shard).write(record);
      records++;
    } catch (IOException | RuntimeException e) {
      abortSuppressing(e);
      throw e;
    }
  }

  /** Records written so far. */
  public long recordCount() {
    return records;
  }

  /** Number of shards (so far, for {@link #byCount}). */
  public int shardCount() {
    return Math.max(writers.size(), 1);
  }

  /**
   * Completes all shards and gives them their final names; returns those names in order. Call it
   * once, after the last {@link #write}. A {@link #byCount} writer with no records writes one empty
   * shard {@code PREFIX-00000-of-00001}. If completing a shard fails, everything is deleted.
   */
  public List<Path> commit() throws IOException {
    if (state != State.OPEN) {
      throw new IOException(prefix + ": sharded writer already " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    try {
      if (writers.isEmpty()) {
        openShard(0);
      }
      for (TFRecordWriter w : writers) {
        w.commit(); // publishes the placeholder name, still hidden
      }
    } catch (IOException | RuntimeException e) {
      abortSuppressing(e);
      throw e;
    }
    int total = writers.size();
    List<Path> finals = new ArrayList<>();
    try {
      for (int i = 0; i < total; i++) {
        Path fin = shardName(prefix, i, total);
        AtomicFiles.commit(tmpNames.get(i), fin);
        finals.add(fin);
      }
    } catch (IOException | RuntimeException e) {
      for (Path f : finals) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      abortSuppressing(e);
      throw e;
    }
    state = State.COMMITTED;
    deleteStaleShards(total);
    return finals;
  }

  /**
   * Ends the writer: after {@link #commit()} this does nothing; otherwise it {@link #abort()}s,
   * deleting every shard written so far, and logs how many records were discarded.
   */
  @Override
  public void close() throws IOException {
    if (state == State.OPEN) {
      LOG.log(System.Logger.Level.WARNING,
          "{0}: closed without commit(): discarding {1} record(s), no shard was published", prefix, records);
      abort();
    }
  }

  /** Deletes every shard written so far; no final name is created. Does nothing after commit. */
  public void abort() throws IOException {
    if (state == State.COMMITTED) {
      return;
    }
    state = State.ABORTED;
    IOException first = null;
    for (int i = 0; i < writers.size(); i++) {
      try {
        writers.get(i).abort();
        Files.deleteIfExists(tmpNames.get(i));
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void abortSuppressing(Exception cause) {
    try {
      abort();
    } catch (IOException suppressed) {
      cause.addSuppressed(suppressed);
    }
  }

  private void deleteStaleShards(int total) throws IOException {
    Path dir = prefix.toAbsolutePath().getParent();
    Pattern p = Pattern.compile(Pattern.quote(prefix.getFileName().toString()) + "-\\d{5}-of-(\\d{5})");
    List<Path> stale;
    try (Stream<Path> s = Files.list(dir)) {
      stale = s.filter(f -> {
        var m = p.matcher(f.getFileName().toString());
        return m.matches() && Integer.parseInt(m.group(1)) != total;
      }).toList();
    }
    for (Path f : stale) {
      LOG.log(System.Logger.Level.INFO, "deleting stale shard {0} (now {1} shards)", f, total);
      Files.deleteIfExists(f);
    }
  }
}
