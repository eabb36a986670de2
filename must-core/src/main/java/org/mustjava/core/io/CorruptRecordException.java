package org.mustjava.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A TFRecord file that cannot be read: a CRC mismatch, a truncated record or bytes that are not a
 * TFRecord file at all. The message names the file and the byte offset of the bad record.
 */
public final class CorruptRecordException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the record. */
  public enum Kind {
    /** The masked CRC of the 8-byte length does not match (also what a non-TFRecord file gives). */
    LENGTH_CRC("length CRC mismatch (corrupt header or not a TFRecord file)"),
    /** The masked CRC of the data does not match. */
    DATA_CRC("data CRC mismatch"),
    /** The file ends inside a record. */
    TRUNCATED("truncated record"),
    /** The length field is larger than any record this reader accepts. */
    TOO_LARGE("record length too large"),
    /** The GZIP stream itself is damaged or ends early. */
    GZIP_STREAM("corrupt or truncated GZIP stream");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  private final Path file;
  private final long offset;
  private final Kind kind;

  public CorruptRecordException(Path file, long offset, boolean compressed, Kind kind, String detail) {
    this(file, offset, compressed, kind, detail, null);
  }

  public CorruptRecordException(
      Path file, long offset, boolean compressed, Kind kind, String detail, Throwable cause) {
    super(
        file + ": " + kind.description() + " at " + (compressed ? "uncompressed " : "")
            + "byte offset " + offset + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"),
        cause);
    this.file = file;
    this.offset = offset;
    this.kind = kind;
  }

  /** The file being read. */
  public Path file() {
    return file;
  }

  /**
   * Offset of the start of the bad record; for GZIP files counted in the decompressed stream.
   */
  public long offset() {
    return offset;
  }

  public Kind kind() {
    return kind;
  }
}
