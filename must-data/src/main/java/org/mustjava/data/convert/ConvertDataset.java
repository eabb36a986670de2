package org.mustjava.data.convert;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * Entry point of {@code tools/convert-dataset}: converts a data set in its published layout into
 * sharded TFRecords. Exit status: 0 done, 1 bad or missing input (the message names the file),
 * 2 bad command line.
 */
public final class ConvertDataset {
  private ConvertDataset() {}

  public static void main(String[] args) {
    System.exit(run(List.of(args), System.out, System.err));
  }

  /** Runs the tool; returns the exit status. */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.contains("--help") || args.contains("-h")) {
      out.print(ConvertOptions.usage());
      return 0;
    }
    ConvertOptions options;
    try {
      options = ConvertOptions.parse(args);
    } catch (ConvertOptions.UsageException e) {
      err.println("convert-dataset: " + e.getMessage());
      err.print(ConvertOptions.usage());
      return 2;
    }
    ConversionJob job;
    try {
      job = new ConversionJob(options.input(), options.output(), options.shards(), options.split(),
          options.converterOptions());
      convert(DatasetConverters.create(options.dataset()), job);
    } catch (InvalidOptionException e) {
      err.println("convert-dataset: " + e.getMessage());
      err.print(ConvertOptions.usage());
      return 2;
    } catch (IOException | RuntimeException e) {
      // Input errors (DatasetFormatException) carry the file; anything else is reported as it is.
      err.println("convert-dataset: " + (e instanceof IOException && e.getMessage() != null ? e.getMessage() : e));
      return 1;
    }
    for (ConversionJob.SplitResult r : job.results()) {
      out.printf("%s: %d examples -> %s%s%n", r.split(), r.records(), r.shards().get(0),
          r.shards().size() > 1 ? " ... (" + r.shards().size() + " shards)" : "");
    }
    if (java.nio.file.Files.exists(job.labelsFile())) {
      out.println("labels: " + job.labelsFile());
    }
    return 0;
  }

  /** Prepares the output location and runs {@code converter}. */
  public static void convert(DatasetConverter converter, ConversionJob job) throws IOException {
    job.prepareOutput();
    converter.convert(job);
  }
}
