package org.mustjava.core.io;

import java.nio.file.Path;

/** Compression of a TFRecord file, as TensorFlow names it ({@code ""} or {@code "GZIP"}). */
public enum Compression {
  /** Writers: GZIP when the file name ends in {@code .gz}. Readers: the name or the content decides. */
  AUTO,
  /** Uncompressed records. */
  NONE,
  /** One GZIP stream holding the framed records (TensorFlow's {@code compression_type="GZIP"}). */
  GZIP;

  /** The compression a writer uses for {@code path}: {@code this}, or for {@link #AUTO} the file suffix. */
  public Compression resolveForWriting(Path path) {
    if (this != AUTO) {
      return this;
    }
    return hasGzipSuffix(path) ? GZIP : NONE;
  }

  /** The value of the {@code compression_type} input of TensorFlow's TFRecord ops. */
  public String tfName() {
    if (this == AUTO) {
      throw new IllegalStateException("AUTO has no TensorFlow name; resolve it for a file first");
    }
    return this == GZIP ? "GZIP" : "";
  }

  static boolean hasGzipSuffix(Path path) {
    Path name = path.getFileName();
    return name != null && name.toString().endsWith(".gz");
  }
}
