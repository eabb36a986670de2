package org.mustjava.experiments.stages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Where the paths a stage reads point, sorted into the two kinds of input a fingerprint covers:
 * <ul>
 *   <li><b>upstream stages</b>: a path at, below or above an earlier stage's directory
 *       ({@code data/train-*} -> stage {@code data}; {@code teachers} -> every stage below it);
 *   <li><b>external files</b>: any other path that names existing files, fingerprinted by size and
 *       modification time (directories: every file below them), not by content: reading the
 *       data sets on every run to hash them would cost as much as a stage.
 * </ul>
 * The candidates are every string of the stage's configuration plus {@link Stage#inputs()}.
 * Config strings that are not paths ({@code 'indoor'}, {@code 'segmentation/miou'}) name nothing
 * and drop out; one that happens to name an upstream stage only adds a dependency, never hides
 * one. A relative path is tried against the model directory (how tasks resolve their files), and
 * if it names nothing there, against the working directory (how a plain Java {@code Path} is
 * read). A path at or above the model or working directory ({@code '/'}, {@code '..'}) is never
 * walked. Paths at or above the stage's own directory (its name, a grid's name above its cells),
 * into a later stage's directory, the launcher's operative config, the stage locks and the
 * superseded outputs are not inputs.
 */
final class StageInputs {
  /** The inputs of one stage: upstream stage names, and external file -> "size=... mtime=...". */
  record Resolved(SortedSet<String> upstream, SortedMap<String, String> files) {}

  private static final Path CWD = Path.of("").toAbsolutePath().normalize();

  private StageInputs() {}

  /**
   * @param candidates path strings the stage may read
   * @param index the stage's position in {@code stageNames}
   * @param stageNames every stage's directory, in run order
   */
  static Resolved resolve(List<String> candidates, int index, List<String> stageNames, Path modelDir) {
    Path root = modelDir.toAbsolutePath().normalize();
    SortedSet<String> upstream = new TreeSet<>();
    SortedMap<String, String> files = new TreeMap<>();
    for (String candidate : candidates) {
      Optional<Path> parsed = parse(candidate);
      if (parsed.isEmpty()) continue;
      Path p = parsed.get();
      List<Path> readings = new ArrayList<>();
      readings.add(p.isAbsolute() ? p.normalize() : root.resolve(p).normalize());
      if (!p.isAbsolute()) readings.add(p.toAbsolutePath().normalize());
      for (Path abs : readings) {
        // '/', '..' or '.' name no data set: never walk the file system, the model directory or the working directory.
        if (root.startsWith(abs) || CWD.startsWith(abs)) continue;
        if (abs.startsWith(root)) {
          Path rel = root.relativize(abs);
          if (rel.toString().isEmpty() || isLauncherFile(rel)) break;
          if (relatesToStage(rel, index, stageNames, upstream)) break;
        }
        SortedMap<String, String> found = stat(abs, root);
        if (!found.isEmpty()) {
          files.putAll(found);
          break;
        }
      }
    }
    return new Resolved(upstream, files);
  }

  private static Optional<Path> parse(String s) {
    if (s.isBlank() || s.length() > 4096 || s.indexOf('\n') >= 0 || s.indexOf('\0') >= 0) return Optional.empty();
    try {
      return Optional.of(Path.of(s));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }

  private static boolean isLauncherFile(Path rel) {
    return rel.getName(0).toString().equals(StageDirectory.SUPERSEDED) || rel.getName(0).toString().equals(StageLock.DIRECTORY)
        || rel.toString().equals(org.mustjava.experiments.Main.OPERATIVE_CONFIG);
  }

  /** Whether {@code rel} is in, at or above some stage's directory; adds the earlier stages among them to {@code upstream}. */
  private static boolean relatesToStage(Path rel, int index, List<String> stageNames, SortedSet<String> upstream) {
    Path fixed = staticPrefix(rel);
    // The stage's own directory or one above it (a grid's name above its cells) names its own outputs.
    if (!fixed.toString().isEmpty() && Path.of(stageNames.get(index)).startsWith(fixed)) return true;
    boolean related = false;
    for (int j = 0; j < stageNames.size(); j++) {
      Path stage = Path.of(stageNames.get(j));
      // An empty fixed part ('*/export') may match any stage.
      if (fixed.toString().isEmpty() || fixed.startsWith(stage) || stage.startsWith(fixed)) {
        related = true;
        if (j < index) upstream.add(stageNames.get(j));
      }
    }
    return related;
  }

  private static boolean hasGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  /** The leading components without glob characters. */
  private static Path staticPrefix(Path p) {
    Path out = p.getRoot() != null ? p.getRoot() : Path.of("");
    for (Path part : p) {
      if (hasGlob(part.toString())) break;
      out = out.resolve(part);
    }
    return out;
  }

  /** Size and modification time of every file {@code abs} names (a glob, a file, or a directory's files). */
  private static SortedMap<String, String> stat(Path abs, Path root) {
    SortedMap<String, String> out = new TreeMap<>();
    try {
      Path base = staticPrefix(abs);
      if (base.equals(abs)) {
        addTree(abs, root, out);
      } else if (Files.isDirectory(base)) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + abs);
        List<Path> matches;
        try (Stream<Path> s = Files.walk(base, abs.getNameCount() - base.getNameCount())) {
          matches = s.filter(matcher::matches).toList();
        }
        for (Path m : matches) addTree(m, root, out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the stage input " + abs + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static void addTree(Path path, Path root, SortedMap<String, String> out) throws IOException {
    if (Files.isRegularFile(path)) {
      add(path, root, out);
    } else if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.walk(path)) {
        for (Path f : s.filter(Files::isRegularFile).toList()) add(f, root, out);
      }
    }
  }

  private static void add(Path file, Path root, SortedMap<String, String> out) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    String name = file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    out.put(name, "size=" + a.size() + " mtime=" + a.lastModifiedTime());
  }
}
