package org.mustjava.data.tfdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TString;

/**
 * TensorFlow's native TFRecord reader as a raw tf.data dataset ({@code TFRecordDatasetV2}): one
 * scalar string element per record. Use it through {@link DatasetOptions#apply} and a {@link
 * NamedIterator}; the {@code tensorflow-framework} wrapper {@code Dataset.tfRecordDataset} fails
 * when its iterator is made.
 */
public final class TfRecordDatasets {
  /** TensorFlow's default read buffer (256 KiB). */
  public static final long DEFAULT_BUFFER_BYTES = 256 * 1024;

  private TfRecordDatasets() {}

  /**
   * The records of {@code files}, read in order. {@link Compression#AUTO} inspects each file; all
   * files must then have the same compression (TensorFlow applies one to the whole list).
   */
  public static RawDataset create(Ops tf, List<Path> files, Compression compression, long bufferBytes) {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("no TFRecord files given");
    }
    Compression c = compression == Compression.AUTO ? detectCommon(files) : compression;
    String[] names = files.stream().map(p -> p.toAbsolutePath().toString()).toArray(String[]::new);
    var handle = tf.data.tfRecordDataset(
        tf.constant(StandardCharsets.UTF_8, names),
        tf.constant(c.tfName()),
        tf.constant(bufferBytes),
        // byte_offsets: empty = read every file from its start.
        tf.constant(new long[0]));
    return new RawDataset(handle, List.of(TString.class), List.of(Shape.scalar()));
  }

  /** {@link #create(Ops, List, Compression, long)} with automatic compression and the default buffer. */
  public static RawDataset create(Ops tf, List<Path> files) {
    return create(tf, files, Compression.AUTO, DEFAULT_BUFFER_BYTES);
  }

  private static Compression detectCommon(List<Path> files) {
    Compression first = null;
    for (Path f : files) {
      Compression c;
      try {
        c = TFRecordReader.detectCompression(f);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open TFRecord file " + f, e);
      }
      if (first == null) {
        first = c;
      } else if (c != first) {
        throw new IllegalArgumentException("TFRecord files mix compressions: " + files.get(0) + " is "
            + first + " but " + f + " is " + c + "; TensorFlow reads one list with one compression");
      }
    }
    return first;
  }
}
