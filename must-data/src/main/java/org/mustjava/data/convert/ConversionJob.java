package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One run of a {@link DatasetConverter}: where to read, where and how to write, and what was written.
 * Output files are {@code PREFIX-SPLIT-00000-of-0000N} per split and {@code PREFIX-labels.txt};
 * the output directory is created. Hidden temporary files left under this prefix by an interrupted
 * earlier run are deleted when the job starts (so two conversions must not write the same prefix at
 * the same time).
 */
public final class ConversionJob {
  private static final System.Logger LOG = System.getLogger(ConversionJob.class.getName());

  /** What one split produced. */
  public record SplitResult(String split, long records, List<Path> shards) {}

  private final Path input;
  private final Path outputPrefix;
  private final int shards;
  private final String split;
  private final Map<String, String> options;
  private final List<SplitResult> results = new ArrayList<>();
  private Runnable afterEachRecord = () -> {};
  private long maxExamples = Long.MAX_VALUE;

  /**
   * @param split the only split to convert, or null for all splits found in the input
   * @param options converter-specific options (e.g. {@code labels}, {@code annotations})
   */
  public ConversionJob(Path input, Path outputPrefix, int shards, String split, Map<String, String> options) {
    if (shards < 1) {
      throw new InvalidOptionException("--shards must be >= 1, got " + shards);
    }
    if (outputPrefix.getFileName() == null) {
      throw new InvalidOptionException("--output must name a file prefix, got '" + outputPrefix + "'");
    }
    this.input = input;
    this.outputPrefix = outputPrefix.toAbsolutePath().normalize();
    this.shards = shards;
    this.split = split;
    this.options = new TreeMap<>(options);
  }

  public Path input() {
    return input;
  }

  /**
   * Keeps only the first {@code n} examples of each split, in the converter's order (a small
   * subset of a published data set, e.g. for the mini experiments); the default keeps all.
   */
  public ConversionJob withMaxExamples(long n) {
    if (n < 1) throw new InvalidOptionException("--max_examples must be >= 1, got " + n);
    this.maxExamples = n;
    return this;
  }

  public Path outputPrefix() {
    return outputPrefix;
  }

  /** The split the user asked for, if any. */
  public Optional<String> requestedSplit() {
    return Optional.ofNullable(split);
  }

  /** Whether {@code candidate} should be converted. */
  public boolean wants(String candidate) {
    return split == null || split.equals(candidate);
  }

  /**
   * The splits to convert out of those the input has, in the given order: all of them, or the one
   * the user asked for, which must exist.
   */
  public List<String> select(List<String> available) throws DatasetFormatException {
    if (split == null) {
      return List.copyOf(available);
    }
    if (!available.contains(split)) {
      throw new DatasetFormatException(input, "no split '" + split + "' here (found: "
          + (available.isEmpty() ? "none" : String.join(", ", available)) + ")");
    }
    return List.of(split);
  }

  /** A converter-specific option. */
  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** Test seam: runs after every record written (e.g. to simulate a crash part-way). */
  void afterEachRecord(Runnable hook) {
    this.afterEachRecord = hook;
  }

  /** Creates the output directory and removes temporary files of an interrupted earlier run. */
  void prepareOutput() throws IOException {
    Path dir = outputPrefix.getParent();
    Files.createDirectories(dir);
    Pattern leftovers =
        Pattern.compile("^\\.{1,2}" + Pattern.quote(outputPrefix.getFileName().toString()) + "-.*\\.(tmp|shard)$");
    List<Path> stale;
    try (Stream<Path> files = Files.list(dir)) {
      stale = files.filter(f -> leftovers.matcher(f.getFileName().toString()).matches()).sorted().toList();
    }
    for (Path f : stale) {
      LOG.log(System.Logger.Level.INFO, "removing temporary file of an interrupted run: {0}", f);
      Files.deleteIfExists(f);
    }
  }

  /** Opens the shards of {@code splitName}; commit them with {@link SplitWriter#commit()}. */
  public SplitWriter openSplit(String splitName) throws IOException {
    if (!splitName.matches("[A-Za-z0-9_.]+")) {
      throw new InvalidOptionException("split name '" + splitName + "' must be letters, digits, '_' or '.'");
    }
    Path prefix = outputPrefix.resolveSibling(outputPrefix.getFileName() + "-" + splitName);
    return new SplitWriter(splitName, prefix, shards, maxExamples, afterEachRecord);
  }

  /** Commits {@code writer} and records what it wrote. */
  public void finish(SplitWriter writer) throws IOException {
    long count = writer.count();
    List<Path> files = writer.commit();
    results.add(new SplitResult(writer.split(), count, files));
    LOG.log(System.Logger.Level.INFO, "{0}: {1} examples in {2} shard(s)", writer.split(), count, files.size());
  }

  /** Writes {@code PREFIX-labels.txt}. */
  public Path writeLabels(LabelMap labels) throws IOException {
    Path file = labelsFile();
    labels.write(file);
    return file;
  }

  /** {@code PREFIX-labels.txt}. */
  public Path labelsFile() {
    return outputPrefix.resolveSibling(outputPrefix.getFileName() + "-labels.txt");
  }

  /** Splits written so far, in order. */
  public List<SplitResult> results() {
    return List.copyOf(results);
  }
}
