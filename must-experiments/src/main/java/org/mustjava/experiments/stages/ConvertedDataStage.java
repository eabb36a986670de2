package org.mustjava.experiments.stages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.data.convert.ConversionJob;
import org.mustjava.data.convert.ConvertDataset;
import org.mustjava.data.convert.DatasetConverters;
import org.mustjava.experiments.RunContext;

/**
 * Converts a published data set into {@code MODEL_DIR/<directory>/<dataset>-<split>-*} TFRecords
 * with the converter {@code tools/convert-dataset} uses (docs/datasets.md), e.g. the Fashion-MNIST
 * of Debian's {@code dataset-fashion-mnist} for a real classification column in the mini tables:
 *
 * <pre>
 * fmnist_data/ConvertedData.directory = 'data/fashion_mnist'
 * fmnist_data/ConvertedData.dataset = 'fashion-mnist'
 * fmnist_data/ConvertedData.input = '/usr/share/datasets/fashion-mnist'
 * fmnist_data/ConvertedData.max_examples = 2000     # per split: the first 2000
 * # -> data/fashion_mnist/fashion-mnist-train-00000-of-00001, ...-test-..., ...-labels.txt
 * </pre>
 *
 * The input lies outside every stage, so the stage cache fingerprints its files by size and
 * modification time; a missing input stops the run naming the directory and the package.
 */
public final class ConvertedDataStage implements Stage {
  private final String directory;
  private final String dataset;
  private final String input;
  private final Optional<Long> maxExamples;
  private final int shards;
  private final Map<String, String> options;

  /**
   * @param directory below the model directory
   * @param dataset a {@code tools/convert-dataset --dataset} name
   * @param input the data set as published (absolute, or relative to the working directory)
   * @param maxExamples keep the first N examples of each split (None: all)
   * @param shards shards per split
   * @param options converter options as {@code tools/convert-dataset} takes them, without dashes
   */
  @Configurable("ConvertedData")
  public ConvertedDataStage(String directory, String dataset, String input,
      @Default("None") Optional<Long> maxExamples, @Default("1") int shards, @Default("{}") Map<String, String> options) {
    if (directory.isBlank() || Path.of(directory).isAbsolute() || directory.contains("..")) {
      throw new IllegalArgumentException("ConvertedData.directory must be a relative directory name: '" + directory + "'");
    }
    if (!DatasetConverters.names().contains(dataset)) {
      throw new IllegalArgumentException("ConvertedData.dataset: unknown data set '" + dataset + "'; known: "
          + String.join(", ", DatasetConverters.names()));
    }
    this.directory = directory;
    this.dataset = dataset;
    this.input = input;
    this.maxExamples = maxExamples == null ? Optional.empty() : maxExamples;
    this.shards = shards;
    this.options = Map.copyOf(options);
  }

  @Override
  public String name() {
    return directory;
  }

  @Override
  public void run(RunContext context) throws Exception {
    Path in = Path.of(input);
    if (!Files.exists(in)) {
      throw new java.io.FileNotFoundException("ConvertedData.input: " + in + " does not exist"
          + (dataset.equals("fashion-mnist") ? " (Debian package dataset-fashion-mnist; tools/setup installs it)" : ""));
    }
    Path dir = context.modelDir().resolve(directory);
    ConversionJob job = new ConversionJob(in, dir.resolve(dataset), shards, null, options);
    maxExamples.ifPresent(job::withMaxExamples);
    long t0 = System.nanoTime();
    ConvertDataset.convert(DatasetConverters.create(dataset), job);
    for (ConversionJob.SplitResult r : job.results()) {
      context.err().printf(Locale.ROOT, "%s: %s %s: %d examples in %d shard(s)%n", directory, dataset, r.split(),
          r.records(), r.shards().size());
    }
    context.err().printf(Locale.ROOT, "%s: converted in %.1f s%n", directory, (System.nanoTime() - t0) / 1e9);
  }
}
