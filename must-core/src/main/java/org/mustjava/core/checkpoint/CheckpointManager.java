package org.mustjava.core.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.core.io.IOConsumer;
import org.tensorflow.Session;

/**
 * Numbered checkpoints in one directory, written so that a crash at any moment leaves the latest
 * committed checkpoint intact:
 *
 * <ol>
 *   <li>the bundle and its manifest are written into a hidden temporary directory
 *       {@code .ckpt-<step>.<random>.tmp};
 *   <li>the files are synced and the directory is renamed to {@code ckpt-<step>} (atomic);
 *   <li>{@code index.json} (the committed list, newest last) is replaced atomically;
 *   <li>checkpoints beyond the newest {@code keep} are deleted.
 * </ol>
 *
 * <p>{@code index.json} is the source of truth. A crash between steps 2 and 3 leaves a complete
 * {@code ckpt-<step>} not yet in the index: it is ignored (and removed by the next save), so the run
 * resumes from the previous committed checkpoint. Temporary directories left by a crash are removed
 * by the next save. If {@code index.json} is missing altogether (e.g. copied by hand), the complete
 * {@code ckpt-*} directories (those with a manifest) are used. If it names a checkpoint that is
 * missing or incomplete (deleted by hand, a partial copy), that entry is skipped with a warning and
 * the newest complete checkpoint is used instead: losing steps beats refusing to resume.
 */
public final class CheckpointManager {
  /** File name prefix of the tensor bundle inside each checkpoint directory. */
  public static final String BUNDLE_NAME = "ckpt";
  public static final String INDEX_FILE = "index.json";
  private static final Pattern DIR_NAME = Pattern.compile("ckpt-(\\d+)");
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final Path directory;
  private final int keep;
  private final Consumer<String> warnings;

  /**
   * @param directory e.g. {@code MODEL_DIR/student/checkpoints}
   * @param keep how many of the newest checkpoints to keep (at least 1)
   */
  public CheckpointManager(Path directory, int keep) {
    this(directory, keep, message -> System.err.println("warning: " + message));
  }

  /** @param warnings receives what was skipped when the index names missing checkpoints */
  public CheckpointManager(Path directory, int keep, Consumer<String> warnings) {
    if (keep < 1) throw new IllegalArgumentException("keep must be at least 1: " + keep);
    this.directory = directory;
    this.keep = keep;
    this.warnings = warnings;
  }

  public Path directory() {
    return directory;
  }

  /** The committed checkpoints, oldest first. */
  public List<CheckpointInfo> checkpoints() {
    Path index = directory.resolve(INDEX_FILE);
    if (Files.isRegularFile(index)) {
      List<CheckpointInfo> indexed = readIndex(index);
      if (!indexed.isEmpty()) return indexed;
      // Every entry was missing: fall through to the complete directories there are.
    }
    return completeDirectories();
  }

  private List<CheckpointInfo> completeDirectories() {
    if (!Files.isDirectory(directory)) return List.of();
    List<CheckpointInfo> found = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(directory)) {
      for (Path d : dirs) {
        Matcher m = DIR_NAME.matcher(d.getFileName().toString());
        if (m.matches() && Files.isRegularFile(d.resolve(CheckpointManifest.FILE_NAME))) {
          found.add(new CheckpointInfo(Long.parseLong(m.group(1)), d));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + directory, e);
    }
    found.sort(Comparator.comparingLong(CheckpointInfo::step));
    return found;
  }

  public Optional<CheckpointInfo> latest() {
    List<CheckpointInfo> all = checkpoints();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /**
   * Saves the variables of {@code saver} as checkpoint {@code step} and commits it (see the class
   * comment). Returns the committed checkpoint.
   */
  public CheckpointInfo save(Session session, Saver saver, long step) throws IOException {
    return save(session, saver, step, null);
  }

  /**
   * As {@link #save(Session, Saver, long)}, with {@code extra} writing further files (e.g. the input
   * iterator's state) into the checkpoint directory before it is committed, so they are part of
   * the same atomic checkpoint.
   */
  public CheckpointInfo save(Session session, Saver saver, long step, IOConsumer<Path> extra) throws IOException {
    Files.createDirectories(directory);
    String name = "ckpt-" + step;
    Path tmp = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    Files.createDirectory(tmp);
    boolean committed = false;
    try {
      saver.save(session, tmp.resolve(BUNDLE_NAME).toString());
      if (extra != null) extra.accept(tmp);
      CheckpointManifest.of(step, saver.variables()).write(tmp.resolve(CheckpointManifest.FILE_NAME));
      syncAll(tmp);
      Path target = directory.resolve(name);
      if (Files.exists(target)) {
        // A stale copy of this step (never committed to the index, or committed by a run whose
        // later state was lost): move it aside first so the rename below stays atomic.
        Path aside = directory.resolve("." + name + ".old." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(aside);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      committed = true;
      List<CheckpointInfo> kept = new ArrayList<>();
      for (CheckpointInfo c : checkpoints()) if (c.step() != step) kept.add(c);
      kept.add(new CheckpointInfo(step, target));
      kept.sort(Comparator.comparingLong(CheckpointInfo::step));
      if (kept.size() > keep) kept = new ArrayList<>(kept.subList(kept.size() - keep, kept.size()));
      writeIndex(kept);
      removeUnlisted(kept);
      return new CheckpointInfo(step, target);
    } finally {
      if (!committed) deleteRecursively(tmp);
    }
  }

  private void writeIndex(List<CheckpointInfo> kept) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("latest", kept.get(kept.size() - 1).directory().getFileName().toString());
    List<Map<String, Object>> list = new ArrayList<>();
    for (CheckpointInfo c : kept) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("step", c.step());
      e.put("directory", c.directory().getFileName().toString());
      list.add(e);
    }
    json.put("checkpoints", list);
    AtomicFiles.writeString(directory.resolve(INDEX_FILE), GSON.toJson(json) + "\n");
  }

  private List<CheckpointInfo> readIndex(Path index) {
    try {
      IndexJson raw = GSON.fromJson(Files.readString(index, StandardCharsets.UTF_8), IndexJson.class);
      if (raw == null || raw.checkpoints == null) throw new JsonParseException("no 'checkpoints' list");
      List<CheckpointInfo> out = new ArrayList<>();
      List<String> skipped = new ArrayList<>();
      for (IndexEntry e : raw.checkpoints) {
        if (e == null || e.directory == null || !DIR_NAME.matcher(e.directory).matches()) {
          throw new JsonParseException("bad entry " + e);
        }
        Path d = directory.resolve(e.directory);
        if (!Files.isRegularFile(d.resolve(CheckpointManifest.FILE_NAME))) {
          skipped.add(e.directory);
          continue;
        }
        out.add(new CheckpointInfo(e.step, d));
      }
      if (!skipped.isEmpty()) {
        warnings.accept(index + " lists " + skipped + " but " + (skipped.size() == 1 ? "it is" : "they are")
            + " missing or incomplete (no " + CheckpointManifest.FILE_NAME + "); using the newest complete checkpoint instead");
      }
      out.sort(Comparator.comparingLong(CheckpointInfo::step));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + index, e);
    } catch (JsonParseException e) {
      throw new IllegalStateException(index + ": malformed checkpoint index: " + e.getMessage(), e);
    }
  }

  private static final class IndexJson {
    List<IndexEntry> checkpoints;
  }

  private static final class IndexEntry {
    long step;
    String directory;

    @Override
    public String toString() {
      return "{step=" + step + ", directory=" + directory + "}";
    }
  }

  /** Deletes checkpoint and temporary directories not in {@code kept}. */
  private void removeUnlisted(List<CheckpointInfo> kept) throws IOException {
    List<Path> doomed = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path p : entries) {
        String n = p.getFileName().toString();
        boolean ours = DIR_NAME.matcher(n).matches() || (n.startsWith(".ckpt-") && n.endsWith(".tmp"));
        if (ours && Files.isDirectory(p) && kept.stream().noneMatch(c -> c.directory().equals(p))) doomed.add(p);
      }
    }
    for (Path p : doomed) deleteRecursively(p);
  }

  private static void syncAll(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
          ch.force(true);
        }
      }
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
