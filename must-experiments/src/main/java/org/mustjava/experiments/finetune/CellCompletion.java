package org.mustjava.experiments.finetune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.mustjava.core.io.AtomicFiles;

/**
 * Whether a grid cell is complete for the config it would run with now: the one place that decides
 * it, so the shared stage fingerprint (design.md section 5) can replace the hash below.
 *
 * <p>A cell's config is the text {@link FineTuneGrid} builds for it (the operative config of that
 * cell's task, trainer and schedule, plus the cell's own values and the identity of the
 * pre-trained checkpoint); its SHA-256 is the cell's hash. The cell is complete when
 * {@code cell.json} holds the same hash. A cell directory whose recorded config
 * ({@code cell_config.conf}) differs is emptied before the cell runs again: old and new outputs are
 * never mixed, and a resumed cell continues only checkpoints of its own config.
 */
public final class CellCompletion {
  /** The config a cell runs with, written before it starts. */
  public static final String CONFIG_FILE = "cell_config.conf";

  private CellCompletion() {}

  public static String hash(String cellConfig) {
    return sha256(cellConfig.getBytes(StandardCharsets.UTF_8));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cell's result if it finished with this config. */
  public static Optional<CellResult> completed(Path cellDirectory, String cellConfig) throws IOException {
    Optional<CellResult> result = CellResult.read(cellDirectory);
    return result.filter(r -> hash(cellConfig).equals(r.configHash()));
  }

  /**
   * Prepares a claimed cell to (re)start: outputs of another config are deleted, outputs of this
   * config (checkpoints of an interrupted run) are kept for the trainer to resume. Returns whether
   * stale outputs were deleted.
   */
  public static boolean begin(Path cellDirectory, String cellConfig) throws IOException {
    Path recorded = cellDirectory.resolve(CONFIG_FILE);
    boolean same = Files.isRegularFile(recorded) && Files.readString(recorded, StandardCharsets.UTF_8).equals(cellConfig);
    boolean wiped = false;
    if (!same && Files.isDirectory(cellDirectory)) {
      try (Stream<Path> entries = Files.list(cellDirectory)) {
        for (Path p : entries.toList()) {
          deleteRecursively(p);
          wiped = true;
        }
      }
    }
    Files.createDirectories(cellDirectory);
    if (!same) AtomicFiles.writeString(recorded, cellConfig);
    return wiped;
  }

  private static void deleteRecursively(Path p) throws IOException {
    try (Stream<Path> walk = Files.walk(p)) {
      walk.sorted(Comparator.reverseOrder()).forEach(x -> {
        try {
          Files.delete(x);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + x, e);
        }
      });
    }
  }
}
