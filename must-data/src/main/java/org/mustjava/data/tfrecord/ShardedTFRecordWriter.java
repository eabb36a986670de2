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
 * <p>Every shard is written under a temporary name; {@link #close()} renames them all only after
 * every shard is complete, so no half-written shard ever carries a final name. {@link #abort()}
 * (called automatically when a write fails) deletes them. After committing, shards of the same
 * prefix with a different total ({@code PREFIX-?????-of-NNNNN} left by an earlier run with another
 * shard count) are deleted so that {@code PREFIX-*} names exactly one consistent set.
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
  private boolean closed;

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
      abort();
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
   * known, and written into the names, when the writer is closed.
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
    if (closed) {
      throw new IOException(prefix + ": sharded writer is closed");
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
      abort();
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
   * Completes all shards and gives them their final names; returns those names in order. A
   * {@link #byCount} writer with no records writes one empty shard {@code PREFIX-00000-of-00001}.
   */
  public List<Path> closeAndList() throws IOException {
    if (closed) {
      throw new IOException(prefix + ": sharded writer already closed");
    }
    try {
      if (writers.isEmpty()) {
        openShard(0);
      }
      for (TFRecordWriter w : writers) {
        w.close(); // commits the placeholder name, still hidden
      }
    } catch (IOException | RuntimeException e) {
      abort();
      throw e;
    }
    closed = true;
    int total = writers.size();
    List<Path> finals = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      Path fin = shardName(prefix, i, total);
      AtomicFiles.commit(tmpNames.get(i), fin);
      finals.add(fin);
    }
    deleteStaleShards(total);
    return finals;
  }

  @Override
  public void close() throws IOException {
    if (!closed) {
      closeAndList();
    }
  }

  /** Deletes every shard written so far; no final name is created. */
  public void abort() throws IOException {
    closed = true;
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
