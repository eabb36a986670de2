package org.mustjava.data.synthetic;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

  private static final String USAGE = String.join("\n",
      "usage: GenerateScenes --output PREFIX [options]",
      "  --domain NAME      scene domain: " + String.join(", ", SceneDomains.names()) + " (default mixed)",
      "  --num N            number of scenes (default 1000)",
      "  --size S           image height and width in pixels (default 64)",
      "  --height H, --width W   non-square images",
      "  --seed S           base seed; scene i depends only on (seed, i) (default 1)",
      "  --shards K         number of output files PREFIX-0000i-of-0000K (default 1)",
      "  --labels L         all | none | comma list of classification, detection, segmentation,",
      "                     depth, normals (default all)",
      "  --antialias A      colour samples per pixel along each axis, 1-8 (default 2)",
      "  --threads T        worker threads (default: available processors); output is identical",
      "  --gzip             GZIP-compress the shards",
      "  --preview FILE     also write a contact sheet PNG of the first 6 scenes",
      "  --list-domains     print the domain names and exit");

  private GenerateScenes() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("GenerateScenes: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (o.help) {
      out.println(USAGE);
      return 0;
    }
    if (o.listDomains) {
      SceneDomains.names().forEach(out::println);
      return 0;
    }
    SceneGenerator generator;
    Set<SceneTask> labels;
    try {
      generator = new SceneGenerator(SceneDomains.named(o.domain), o.height, o.width, o.seed,
          o.antialias, 6, 2);
      labels = SceneTask.parseList(o.labels);
    } catch (IllegalArgumentException e) {
      err.println("GenerateScenes: " + e.getMessage());
      return 2;
    }
    try {
      long start = System.nanoTime();
      List<Path> files = new SyntheticDatasetWriter(generator, labels, o.threads)
          .write(o.output, o.num, o.shards, o.gzip ? Compression.GZIP : Compression.NONE);
      double seconds = (System.nanoTime() - start) / 1e9;
      out.printf(Locale.ROOT, "wrote %d %s scenes %dx%d (labels: %s) to %d shard(s) in %.2f s "
              + "(%.0f scenes/s, %d threads)%n",
          o.num, o.domain, o.height, o.width, o.labels, files.size(), seconds, o.num / seconds,
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
          ScenePreview.writePng(ScenePreview.contactSheet(scenes, Math.max(1, 128 / o.height)), o.preview);
          out.println("preview: " + o.preview);
        }
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("GenerateScenes: failed: " + e);
      return 1;
    }
  }

  /** Parsed command-line options. */
  private static final class Options {
    static final java.util.Set<String> VALUED = java.util.Set.of("--domain", "--num", "--size",
        "--height", "--width", "--seed", "--shards", "--labels", "--antialias", "--threads",
        "--output", "--preview");

    String domain = "mixed";
    long num = 1000;
    int height = 64;
    int width = 64;
    long seed = 1;
    int shards = 1;
    String labels = "all";
    int antialias = 2;
    int threads = Runtime.getRuntime().availableProcessors();
    boolean gzip;
    Path output;
    Path preview;
    boolean listDomains;
    boolean help;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
        String inline = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
        switch (flag) {
          case "--help", "-h" -> o.help = true;
          case "--list-domains" -> o.listDomains = true;
          case "--gzip" -> o.gzip = true;
          default -> {
            if (!VALUED.contains(flag)) {
              throw new IllegalArgumentException("unknown option " + a);
            }
            String v = inline != null ? inline : ++i < args.length ? args[i] : null;
            if (v == null) {
              throw new IllegalArgumentException(flag + " needs a value");
            }
            switch (flag) {
              case "--domain" -> o.domain = v;
              case "--num" -> o.num = parseLong(flag, v, 0);
              case "--size" -> o.height = o.width = (int) parseLong(flag, v, 8);
              case "--height" -> o.height = (int) parseLong(flag, v, 8);
              case "--width" -> o.width = (int) parseLong(flag, v, 8);
              case "--seed" -> o.seed = parseLong(flag, v, Long.MIN_VALUE);
              case "--shards" -> o.shards = (int) parseLong(flag, v, 1);
              case "--labels" -> o.labels = v;
              case "--antialias" -> o.antialias = (int) parseLong(flag, v, 1);
              case "--threads" -> o.threads = (int) parseLong(flag, v, 1);
              case "--output" -> o.output = Path.of(v);
              case "--preview" -> o.preview = Path.of(v);
              default -> throw new IllegalArgumentException("unknown option " + a);
            }
          }
        }
      }
      if (o.output == null && !o.listDomains && !o.help) {
        throw new IllegalArgumentException("--output PREFIX is required");
      }
      return o;
    }

    private static long parseLong(String flag, String v, long min) {
      long x;
      try {
        x = Long.parseLong(v.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " expects an integer, got '" + v + "'");
      }
      if (x < min || x > Integer.MAX_VALUE && !flag.equals("--seed") && !flag.equals("--num")) {
        throw new IllegalArgumentException(flag + " must be >= " + min + ", got " + x);
      }
      return x;
    }
  }
}
