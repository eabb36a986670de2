package org.mustjava.data.tfrecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Expands file specifications into concrete TFRecord file lists. A specification is a comma-separated
 * list of items, each one of:
 *
 * <ul>
 *   <li>a sharded spec {@code PREFIX@8}: {@code PREFIX-00000-of-00008} ... {@code PREFIX-00007-of-00008}, all of
 *       which must exist;
 *   <li>a glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}; also in directory names, and
 *       {@code **} across directories): the matching regular files, sorted; hidden files (such as
 *       writers' temporary files) match only if the pattern's name part starts with a dot;
 *   <li>a plain file name, which must exist.
 * </ul>
 *
 * Items keep their order, each item's files are sorted, duplicates are dropped. An item matching
 * nothing is an error naming it. Commas inside braces belong to the glob.
 */
public final class TFRecordFiles {
  private static final Pattern SHARDED = Pattern.compile("(.+)@(\\d+)");

  /** Items that matched no file during a {@link #placeholders()} build, or null outside one. */
  private static final ThreadLocal<List<String>> PLACEHOLDERS = new ThreadLocal<>();

  private TFRecordFiles() {}

  /**
   * Starts a graph-only build on this thread (a dry run that builds graphs it never runs, e.g.
   * {@code tools/run-experiment --dry_run --build_graphs}): until {@link Placeholders#close()}, an
   * item that matches no file is not an error but stands for itself as one file name, and is
   * recorded ({@link Placeholders#missing()}). So the graphs of stages whose inputs earlier stages
   * will write (pseudo labels) can be built before those exist. Never use it for a graph that runs.
   */
  public static Placeholders placeholders() {
    if (PLACEHOLDERS.get() != null) throw new IllegalStateException("a placeholder build is already open on this thread");
    List<String> missing = new ArrayList<>();
    PLACEHOLDERS.set(missing);
    return new Placeholders(missing);
  }

  /** Whether a {@link #placeholders()} build is open on this thread (file readers then skip missing files). */
  public static boolean placeholdersAllowed() {
    return PLACEHOLDERS.get() != null;
  }

  /** An open graph-only build: see {@link #placeholders()}. */
  public static final class Placeholders implements AutoCloseable {
    private final List<String> missing;

    private Placeholders(List<String> missing) {
      this.missing = missing;
    }

    /** The items that matched no file so far, in order, without repeats. */
    public List<String> missing() {
      return List.copyOf(new LinkedHashSet<>(missing));
    }

    @Override
    public void close() {
      PLACEHOLDERS.remove();
    }
  }

  /** Expands {@code spec}; relative paths are resolved against the working directory. */
  public static List<Path> expand(String spec) {
    return expand(spec, Paths.get(""));
  }

  /** Expands {@code spec} with relative paths resolved against {@code base}. */
  public static List<Path> expand(String spec, Path base) {
    if (spec == null || spec.isBlank()) {
      throw new IllegalArgumentException("empty TFRecord file specification");
    }
    LinkedHashSet<Path> out = new LinkedHashSet<>();
    for (String item : splitTopLevelCommas(spec)) {
      item = item.trim();
      if (item.isEmpty()) {
        continue;
      }
      List<String> standIns = PLACEHOLDERS.get();
      if (standIns == null) {
        out.addAll(expandItem(item, base));
        continue;
      }
      try {
        out.addAll(expandItem(item, base));
      } catch (IllegalArgumentException e) {
        if (Files.isDirectory(base.resolve(item))) throw e; // a mistake, not a file yet to come
        standIns.add(item);
        out.add(base.resolve(item));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("TFRecord file specification '" + spec + "' names no files");
    }
    return List.copyOf(out);
  }

  /** Expands several specifications into one list, in order. */
  public static List<Path> expandAll(List<String> specs) {
    LinkedHashSet<Path> out = new LinkedHashSet<>();
    for (String s : specs) {
      out.addAll(expand(s));
    }
    return List.copyOf(out);
  }

  private static List<Path> expandItem(String item, Path base) {
    Matcher m = SHARDED.matcher(item);
    if (m.matches() && !isGlob(m.group(1))) {
      int n = Integer.parseInt(m.group(2));
      if (n < 1 || n > 99_999) {
        throw new IllegalArgumentException("'" + item + "': shard count must be in 1..99999");
      }
      Path prefix = base.resolve(m.group(1));
      List<Path> files = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Path f = ShardedTFRecordWriter.shardName(prefix, i, n);
        if (Files.isRegularFile(f)) {
          files.add(f);
        } else {
          missing.add(f.getFileName().toString());
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("'" + item + "': " + missing.size() + " of " + n
            + " shards missing in " + prefix.toAbsolutePath().getParent() + ", e.g. " + missing.get(0));
      }
      return files;
    }
    if (isGlob(item)) {
      return glob(item, base);
    }
    Path f = base.resolve(item);
    if (Files.isDirectory(f)) {
      throw new IllegalArgumentException("'" + item + "' is a directory; give a pattern such as '"
          + item + "/*.tfrecord'");
    }
    if (!Files.isRegularFile(f)) {
      throw new IllegalArgumentException("TFRecord file '" + item + "' does not exist"
          + (f.isAbsolute() ? "" : " (relative to " + base.toAbsolutePath() + ")"));
    }
    return List.of(f);
  }

  private static List<Path> glob(String item, Path base) {
    // The walk starts at the longest leading run of directory names without glob characters.
    String[] parts = item.split("/", -1);
    StringBuilder root = new StringBuilder(item.startsWith("/") ? "/" : "");
    int firstGlob = 0;
    for (; firstGlob < parts.length; firstGlob++) {
      if (isGlob(parts[firstGlob])) {
        break;
      }
      if (!parts[firstGlob].isEmpty()) {
        root.append(parts[firstGlob]).append('/');
      }
    }
    Path rootDir = base.resolve(root.length() == 0 ? "." : root.toString()).normalize();
    String rest = String.join("/", java.util.Arrays.copyOfRange(parts, firstGlob, parts.length));
    boolean hiddenOk = parts[parts.length - 1].startsWith(".");
    int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.length - firstGlob;
    if (!Files.isDirectory(rootDir)) {
      throw new IllegalArgumentException("pattern '" + item + "' matches no files: directory "
          + rootDir.toAbsolutePath() + " does not exist");
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    List<Path> files;
    try (Stream<Path> s = Files.walk(rootDir, depth)) {
      files = s.filter(Files::isRegularFile)
          .filter(f -> matcher.matches(rootDir.relativize(f)))
          .filter(f -> hiddenOk || !f.getFileName().toString().startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + rootDir + " for pattern '" + item + "'", e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException("pattern '" + item + "' matches no files (in "
          + rootDir.toAbsolutePath() + ")");
    }
    return files;
  }

  private static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  private static List<String> splitTopLevelCommas(String spec) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < spec.length(); i++) {
      char c = spec.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth = Math.max(0, depth - 1);
      } else if (c == ',' && depth == 0) {
        out.add(spec.substring(start, i));
        start = i + 1;
      }
    }
    out.add(spec.substring(start));
    return out;
  }
}
