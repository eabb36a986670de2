package org.mustjava.data.synthetic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.Compression;
import org.mustjava.data.tfrecord.ShardedTFRecordWriter;

/**
 * Writes scenes {@code 0..numScenes-1} of a {@link SceneGenerator} as sharded TFRecords of
 * {@code tf.train.Example}s (record {@code i} in shard {@code i % shards}). Scenes are rendered
 * and encoded on {@code threads} worker threads and written in index order, so the files are
 * byte-identical for any thread count. Shards appear under their final names only when all are
 * complete; a failure (or interruption) part-way leaves no shard under a final name.
 */
public final class SyntheticDatasetWriter {

  private final SceneGenerator generator;
  private final Set<LabelType> labels;
  private final int threads;

  /**
   * @param generator the scenes
   * @param labels the labels each example carries; empty for unlabelled images
   * @param threads worker threads (output does not depend on it)
   */
  public SyntheticDatasetWriter(SceneGenerator generator, Set<LabelType> labels, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    this.generator = generator;
    this.labels = LabelTypes.ordered(labels);
    this.threads = threads;
  }

  /**
   * Config entry point: generates a data set when called, e.g.
   * <pre>
   * train/SyntheticDataset.domain = @teacher/SceneDomain()
   * train/SyntheticDataset.output = '/data/synthetic/train'
   * train/SyntheticDataset.num_scenes = 1000
   * train/SyntheticDataset.image_size = 64
   * train/SyntheticDataset.seed = 1
   * </pre>
   *
   * @param domain the scene distribution ({@link SceneDomains#configure} or a preset)
   * @param output shard prefix: files {@code output-00000-of-0000N}
   * @param numScenes number of examples
   * @param imageSize height and width in pixels
   * @param seed scene {@code i} depends only on {@code (seed, i)}
   * @param shards number of output files
   * @param labels {@code "all"}, {@code "none"} or a comma list of {@link LabelType} names
   * @param antialiasing colour samples per pixel along each axis; labels use pixel centres
   * @param threads worker threads; None (the default) means one per available processor. The
   *     output does not depend on it, which is why a machine-dependent default is acceptable here.
   * @param gzip GZIP-compress the shards
   * @return the shard files
   */
  @Configurable("SyntheticDataset")
  public static List<Path> generate(SceneDomain domain, String output, int numScenes, int imageSize,
      long seed, @Default("1") int shards, @Default("'all'") String labels,
      @Default("2") int antialiasing, @Default("None") Optional<Integer> threads,
      @Default("False") boolean gzip) throws IOException {
    SceneGenerator generator =
        new SceneGenerator(domain, imageSize, imageSize, seed, antialiasing, 6, 2);
    int workers = threads.orElse(Runtime.getRuntime().availableProcessors());
    return new SyntheticDatasetWriter(generator, LabelTypes.parseList(labels), workers)
        .write(Path.of(output), numScenes, shards, gzip ? Compression.GZIP : Compression.NONE);
  }

  /** Writes scenes {@code 0..numScenes-1}; returns the shard files. */
  public List<Path> write(Path prefix, long numScenes, int shards, Compression compression)
      throws IOException {
    if (numScenes < 0) {
      throw new IllegalArgumentException("number of scenes must be >= 0: " + numScenes);
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "synthetic-scenes");
      t.setDaemon(true);
      return t;
    });
    // Closing without commit() (any exception below) deletes the partial shards.
    try (ShardedTFRecordWriter out = ShardedTFRecordWriter.roundRobin(prefix, shards, compression)) {
      // A bounded window of scenes in flight keeps memory flat while every worker stays busy.
      ArrayDeque<Future<byte[]>> window = new ArrayDeque<>();
      int maxInFlight = 4 * threads;
      long next = 0;
      while (next < numScenes || !window.isEmpty()) {
        while (next < numScenes && window.size() < maxInFlight) {
          long index = next++;
          window.add(pool.submit(() -> encode(index)));
        }
        out.write(await(window.poll()));
      }
      return out.commit();
    } finally {
      pool.shutdownNow();
    }
  }

  /** The serialized example of scene {@code index}. */
  public byte[] encode(long index) {
    return SceneExamples.toExample(generator.generate(index), labels).toByteArray();
  }

  private static byte[] await(Future<byte[]> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while generating scenes", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IOException(cause);
    }
  }
}
