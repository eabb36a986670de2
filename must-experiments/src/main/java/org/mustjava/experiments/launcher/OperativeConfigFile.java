package org.mustjava.experiments.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.mustjava.core.io.AtomicFiles;

/**
 * {@code MODEL_DIR/operative_config.conf}: written atomically at the start of a run and rewritten
 * at its end if the run used more configurables meanwhile.
 */
public final class OperativeConfigFile {
  private final Path path;
  private String written;

  public OperativeConfigFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  /** Writes {@code text} unless the file already holds it (from this object). */
  public void write(String text) {
    if (text.equals(written)) {
      return;
    }
    try {
      AtomicFiles.writeString(path, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
    }
    written = text;
  }
}
