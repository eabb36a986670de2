package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.mustjava.core.io.Compression;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.tfrecord.ShardedTFRecordWriter;

/**
 * The shards of one split, {@code PREFIX-SPLIT-00000-of-0000N}, filled round-robin in the order the
 * converter supplies examples (converters supply them in a deterministic order, so a rerun writes
 * identical files). Nothing gets a final name before {@link #commit()}; closing without committing
 * (because the converter failed) deletes what was written.
 */
public final class SplitWriter implements AutoCloseable {
  private final String split;
  private final ShardedTFRecordWriter shards;
  private final long maxExamples;
  private final Runnable afterEachRecord;
  private List<Path> committed;

  SplitWriter(String split, Path prefix, int numShards, long maxExamples, Runnable afterEachRecord) throws IOException {
    this.split = split;
    this.shards = ShardedTFRecordWriter.roundRobin(prefix, numShards, Compression.NONE);
    this.maxExamples = maxExamples;
    this.afterEachRecord = afterEachRecord;
  }

  /** Appends one example; once the split holds {@code --max_examples}, further ones are dropped. */
  public void write(MultiTaskExample example) throws IOException {
    if (full()) return;
    shards.write(example.toByteArray());
    afterEachRecord.run();
  }

  /** Whether the split holds {@code --max_examples} already (converters may stop reading then). */
  public boolean full() {
    return shards.recordCount() >= maxExamples;
  }

  /** Examples written so far. */
  public long count() {
    return shards.recordCount();
  }

  public String split() {
    return split;
  }

  /** Completes the shards and gives them their final names. */
  public List<Path> commit() throws IOException {
    committed = shards.commit();
    return committed;
  }

  /** Aborts unless {@link #commit()} was called. */
  @Override
  public void close() throws IOException {
    if (committed == null) {
      shards.abort();
    }
  }
}
