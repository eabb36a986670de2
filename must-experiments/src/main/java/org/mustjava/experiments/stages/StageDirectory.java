package org.mustjava.experiments.stages;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.stream.Stream;
import org.mustjava.core.io.AtomicFiles;

/**
 * The stage cache's records in a stage's output directory, and what is done to the directory:
 * <ul>
 *   <li>{@value #CONFIG}: the stage's operative config (what its fingerprint's config line hashes;
 *       kept to explain a change);
 *   <li>{@value #FINGERPRINT}: the fingerprint and its material, written before the stage runs;
 *   <li>{@value #COMPLETE}: the fingerprint again, written atomically after the stage finished,
 *       so it exists only if every output of that fingerprint does.
 * </ul>
 * Outputs made under another fingerprint (or of unknown origin) are moved, whole, to
 * {@code MODEL_DIR/superseded/<name>} (replacing what an earlier supersession left there) before
 * the stage reruns in an empty directory: old and new outputs never mix, and the last superseded
 * outputs can still be looked at or moved back.
 */
final class StageDirectory {
  static final String CONFIG = "stage_config.conf";
  static final String FINGERPRINT = "stage_fingerprint.txt";
  static final String COMPLETE = "stage_complete.txt";
  /** Below the model directory: where superseded outputs go. No stage may be named so. */
  static final String SUPERSEDED = "superseded";

  private final Path modelDir;
  private final String name;
  private final Path dir;

  StageDirectory(Path modelDir, String name) {
    this.modelDir = modelDir;
    this.name = name;
    this.dir = modelDir.resolve(name);
  }

  Path path() {
    return dir;
  }

  Path modelDir() {
    return modelDir;
  }

  /** Whether the directory holds anything at all. */
  boolean hasOutputs() throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  /** The fingerprint recorded when the stage last started here, if it reads back intact. */
  Optional<StageFingerprint> started() throws IOException {
    Path f = dir.resolve(FINGERPRINT);
    return Files.isRegularFile(f) ? Optional.ofNullable(StageFingerprint.parse(Files.readString(f))) : Optional.empty();
  }

  /** The hash recorded when the stage last completed here. */
  Optional<String> completed() throws IOException {
    Path f = dir.resolve(COMPLETE);
    if (!Files.isRegularFile(f)) return Optional.empty();
    String text = Files.readString(f).strip();
    return text.startsWith("fingerprint sha256:") ? Optional.of(text.substring("fingerprint sha256:".length())) : Optional.empty();
  }

  /** The stage config recorded with the last start ("" if none). */
  String recordedConfig() throws IOException {
    Path f = dir.resolve(CONFIG);
    return Files.isRegularFile(f) ? Files.readString(f) : "";
  }

  /** Moves the directory to {@code superseded/<name>}; returns where, or empty if there was nothing. */
  Optional<Path> supersede() throws IOException {
    if (!Files.exists(dir)) return Optional.empty();
    Path target = modelDir.resolve(SUPERSEDED).resolve(name);
    deleteTree(target);
    Files.createDirectories(target.getParent());
    Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
    return Optional.of(target);
  }

  /** Creates the directory and records the fingerprint the stage is about to run under. */
  void start(StageFingerprint fingerprint, String stageConfig) throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve(COMPLETE));
    AtomicFiles.writeString(dir.resolve(CONFIG), stageConfig);
    AtomicFiles.writeString(dir.resolve(FINGERPRINT), fingerprint.fileText());
  }

  /** Marks the outputs complete for {@code fingerprint}. */
  void complete(StageFingerprint fingerprint) throws IOException {
    AtomicFiles.writeString(dir.resolve(COMPLETE), "fingerprint sha256:" + fingerprint.hash() + "\n");
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) throw e;
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
