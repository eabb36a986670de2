package org.mustjava.data.convert;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;

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
    ConvertOptions options = new ConvertOptions();
    CommandLine commandLine = new CommandLine("tools/convert-dataset",
        "Converts a data set in its published layout into sharded TFRecords (layouts and label conventions:"
            + " docs/datasets.md).\nDatasets: " + String.join(", ", DatasetConverters.names()) + ".",
        "0 done, 1 bad or missing input (the message names the file), 2 usage error", options);
    OptionalInt exit = commandLine.parse(args.toArray(String[]::new), out, err);
    if (exit.isPresent()) return exit.getAsInt();
    String problem = options.problem();
    if (problem != null) return commandLine.usageError(problem, err);
    ConversionJob job;
    try {
      job = new ConversionJob(Path.of(options.input), Path.of(options.output), options.shards, options.split,
          options.converterOptions()).withMaxExamples(options.maxExamples);
      convert(DatasetConverters.create(options.dataset), job);
    } catch (InvalidOptionException e) {
      return commandLine.usageError(e.getMessage(), err);
    } catch (IOException | RuntimeException e) {
      // Input errors (DatasetFormatException) carry the file; anything else is reported as it is.
      err.println("error: " + (e instanceof IOException && e.getMessage() != null ? e.getMessage() : e));
      return CommandLine.FAILURE;
    }
    for (ConversionJob.SplitResult r : job.results()) {
      out.printf("%s: %d examples -> %s%s%n", r.split(), r.records(), r.shards().get(0),
          r.shards().size() > 1 ? " ... (" + r.shards().size() + " shards)" : "");
    }
    if (java.nio.file.Files.exists(job.labelsFile())) {
      out.println("labels: " + job.labelsFile());
    }
    return CommandLine.OK;
  }

  /** Prepares the output location and runs {@code converter}. */
  public static void convert(DatasetConverter converter, ConversionJob job) throws IOException {
    job.prepareOutput();
    converter.convert(job);
  }
}
