package org.mustjava.data.synthetic;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.io.Compression;

/**
 * Command line: writes a synthetic multi-task data set as sharded TFRecords.
 *
 * <pre>
 * GenerateScenes --domain indoor --num 1000 --size 64 --seed 1 --output out/train --shards 4
 *                [--labels all|none|classification,detection,segmentation,depth,normals]
 *                [--height H --width W] [--antialias 2] [--threads N] [--gzip] [--preview FILE.png]
 * GenerateScenes --list-domains
 * </pre>
 *
 * Exit status 0 on success, 2 for bad arguments, 1 for other failures.
 */
public final class GenerateScenes {

  /** The flags; --height / --width override --size. */
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--output", description = "Output prefix: PREFIX-0000i-of-0000K (required unless --list-domains).")
    Path output;

    @Parameter(names = "--domain", description = "Scene domain (--list-domains lists them).")
    String domain = "mixed";

    @Parameter(names = "--num", description = "Number of scenes.")
    long num = 1000;

    @Parameter(names = "--size", description = "Image height and width in pixels.")
    int size = 64;

    @Parameter(names = "--height", description = "Image height (non-square images; default --size).")
    Integer height;

    @Parameter(names = "--width", description = "Image width (non-square images; default --size).")
    Integer width;

    @Parameter(names = "--seed", description = "Base seed; scene i depends only on (seed, i).")
    long seed = 1;

    @Parameter(names = "--shards", description = "Number of output files.")
    int shards = 1;

    @Parameter(names = "--labels", description = "all | none | comma list of classification, detection, segmentation, "
        + "depth, normals.")
    String labels = "all";

    @Parameter(names = "--antialias", description = "Colour samples per pixel along each axis, 1-8.")
    int antialias = 2;

    @Parameter(names = "--threads", description = "Worker threads (default: available processors); output is identical.")
    int threads = Runtime.getRuntime().availableProcessors();

    @Parameter(names = "--gzip", description = "GZIP-compress the shards.")
    boolean gzip;

    @Parameter(names = "--preview", description = "Also write a contact sheet PNG of the first 6 scenes.")
    Path preview;

    @Parameter(names = "--list-domains", description = "Print the domain names and exit.")
    boolean listDomains;

    int height() {
      return height != null ? height : size;
    }

    int width() {
      return width != null ? width : size;
    }

    /** What is wrong with the values, or null. */
    String problem() {
      if (output == null) return "--output PREFIX is required";
      if (num < 0) return "--num must be >= 0, got " + num;
      if (height() < 8 || width() < 8) return "--size, --height and --width must be >= 8, got " + height() + "x" + width();
      if (shards < 1) return "--shards must be >= 1, got " + shards;
      if (antialias < 1) return "--antialias must be >= 1, got " + antialias;
      if (threads < 1) return "--threads must be >= 1, got " + threads;
      return null;
    }
  }

  private GenerateScenes() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Flags o = new Flags();
    CommandLine commandLine = new CommandLine("GenerateScenes",
        "Writes a synthetic multi-task data set as sharded TFRecords (docs/synthetic-scenes.md).",
        "0 success, 1 failure while writing, 2 usage error", o);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    if (o.listDomains) {
      SceneDomains.names().forEach(out::println);
      return CommandLine.OK;
    }
    String problem = o.problem();
    if (problem != null) return commandLine.usageError(problem, err);
    SceneGenerator generator;
    Set<LabelType> labels;
    try {
      generator = new SceneGenerator(SceneDomains.named(o.domain), o.height(), o.width(), o.seed,
          o.antialias, 6, 2);
      labels = LabelTypes.parseList(o.labels);
    } catch (IllegalArgumentException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    try {
      long start = System.nanoTime();
      List<Path> files = new SyntheticDatasetWriter(generator, labels, o.threads)
          .write(o.output, o.num, o.shards, o.gzip ? Compression.GZIP : Compression.NONE);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "wrote %d %s scenes %dx%d (labels: %s) to %d shard(s) in %.2f s "
              + "(%.0f scenes/s, %d threads)%n",
          o.num, o.domain, o.height(), o.width(), o.labels, files.size(), seconds, o.num / seconds,
          o.threads);
      for (Path f : files) {
        out.println("  " + f);
      }
      if (o.preview != null) {
        List<SyntheticScene> scenes = new ArrayList<>();
        for (int i = 0; i < Math.min(6, o.num); i++) {
          scenes.add(generator.generate(i));
        }
        if (!scenes.isEmpty()) {
          ScenePreview.writePng(ScenePreview.contactSheet(scenes, Math.max(1, 128 / o.height())), o.preview);
          out.println("preview: " + o.preview);
        }
      }
      return CommandLine.OK;
    } catch (IOException | RuntimeException e) {
      err.println("error: GenerateScenes failed: " + e);
      return CommandLine.FAILURE;
    }
  }
}
