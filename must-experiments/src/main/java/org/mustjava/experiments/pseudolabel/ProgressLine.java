package org.mustjava.experiments.pseudolabel;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The stage's progress on stderr: shards done, images labelled, images/s and an ETA. The ETA
 * extrapolates from the input bytes consumed (the total is known without reading the files;
 * for GZIP inputs, whose record bytes exceed the file size, it is pessimistic). A line every few
 * seconds and one per finished shard.
 */
final class ProgressLine {
  private static final long INTERVAL_NANOS = 5_000_000_000L;
  private final PrintStream out;
  private final String name;
  private final int shards;
  private int shardsDone;
  private final long totalBytes;
  private long bytesDone;
  private long images;
  private long firstBatchImages;
  private double firstBatchSeconds;
  private long start = System.nanoTime();
  private long lastPrint = start;

  ProgressLine(PrintStream out, String name, int shards, int shardsAlreadyDone, long bytesToDo) {
    this.out = out;
    this.name = name;
    this.shards = shards;
    this.shardsDone = shardsAlreadyDone;
    this.totalBytes = bytesToDo;
    if (shardsAlreadyDone > 0 && shardsAlreadyDone < shards) {
      out.println(name + ": " + shardsAlreadyDone + " of " + shards + " shards already labelled, resuming");
    }
  }

  /** Rates count from now (after the teachers are loaded). */
  void restartClock() {
    start = System.nanoTime();
    lastPrint = start;
  }

  long images() {
    return images;
  }

  /** Images of the first batch of this run, and its seconds (which include TensorFlow's one-time graph optimisation). */
  long firstBatchImages() {
    return firstBatchImages;
  }

  double firstBatchSeconds() {
    return firstBatchSeconds;
  }

  void batchDone(int n, long bytes) {
    if (images == 0) {
      firstBatchImages = n;
      firstBatchSeconds = (System.nanoTime() - start) / 1e9;
    }
    images += n;
    bytesDone += bytes;
    long now = System.nanoTime();
    if (now - lastPrint >= INTERVAL_NANOS) print(now);
  }

  void shardDone() {
    shardsDone++;
    print(System.nanoTime());
  }

  private void print(long now) {
    lastPrint = now;
    double seconds = (now - start) / 1e9;
    double rate = seconds > 0 ? images / seconds : 0;
    String eta = "?";
    if (bytesDone > 0) {
      double left = Math.max(0, seconds * (totalBytes - bytesDone) / bytesDone);
      eta = String.format(Locale.ROOT, "%d:%02d:%02d", (long) left / 3600, ((long) left / 60) % 60, (long) left % 60);
    }
    out.printf(Locale.ROOT, "%s: shard %d/%d, %d images, %.1f images/s, ETA %s%n", name, shardsDone, shards, images, rate, eta);
  }

  void finish() {
    double seconds = (System.nanoTime() - start) / 1e9;
    out.printf(Locale.ROOT, "%s: %d shards complete; labelled %d images in this run (%.1f s, %.1f images/s)%n", name,
        shards, images, seconds, seconds > 0 ? images / seconds : 0);
  }
}
