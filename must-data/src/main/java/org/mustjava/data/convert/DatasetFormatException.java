package org.mustjava.data.convert;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A source file of a dataset is missing or does not have the expected format. The message always
 * starts with the file (and, where it is known, the line or JSON/XML field) so that a user
 * converting a hundred thousand files can find the bad one.
 */
public final class DatasetFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Path file;

  public DatasetFormatException(Path file, String detail) {
    super(file + ": " + detail);
    this.file = file;
  }

  public DatasetFormatException(Path file, String detail, Throwable cause) {
    super(file + ": " + detail, cause);
    this.file = file;
  }

  /** The offending file. */
  public Path file() {
    return file;
  }

  /** Fails with a message naming {@code file} when it is not a regular, readable file. */
  public static Path requireFile(Path file, String what) throws DatasetFormatException {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new DatasetFormatException(file, "missing " + what);
    }
    return file;
  }

  /** Fails with a message naming {@code dir} when it is not a directory. */
  public static Path requireDirectory(Path dir, String what) throws DatasetFormatException {
    if (!java.nio.file.Files.isDirectory(dir)) {
      throw new DatasetFormatException(dir, "missing " + what + " (expected a directory)");
    }
    return dir;
  }
}
