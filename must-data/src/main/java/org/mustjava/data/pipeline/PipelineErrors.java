package org.mustjava.data.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.mustjava.core.io.CorruptRecordException;
import org.mustjava.core.io.TFRecordReader;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * Makes input failures name their data. TensorFlow's TFRecord kernel reports a corrupt record as
 * "corrupted record at OFFSET" without the file; the Java reader checks the same CRCs and knows the
 * file, so on such an error the pipeline's files are rescanned (up to the first bad record).
 */
public final class PipelineErrors {
  private PipelineErrors() {}

  /** The node-name prefix of every pipeline's IteratorGetNext op. */
  static final String GET_NEXT_NAME = "input_next";

  /**
   * {@code failure} (of a step that pulled from a pipeline over {@code files}) as an error naming
   * the data: the corrupt file and byte offset for TensorFlow's DataLoss, else the file list;
   * {@code failure} itself when it did not come from an input pipeline.
   */
  public static RuntimeException explain(RuntimeException failure, List<Path> files) {
    // TF Java's exceptions share a package, not a base class (TFInvalidArgumentException, for
    // instance, extends IllegalArgumentException).
    boolean fromTensorFlow =
        failure instanceof TensorFlowException
            || failure.getClass().getPackageName().equals("org.tensorflow.exceptions");
    if (!fromTensorFlow || failure instanceof TFOutOfRangeException) {
      return failure;
    }
    String message = String.valueOf(failure.getMessage());
    if (!message.contains(GET_NEXT_NAME)) {
      return failure; // not raised by an input pipeline
    }
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("corrupt") || lower.contains("truncated") || lower.contains("data loss")
        || lower.contains("checksum")) {
      for (Path file : files) {
        try (TFRecordReader reader = TFRecordReader.open(file)) {
          while (reader.read() != null) {
            // CRC-check every record up to the first bad one.
          }
        } catch (CorruptRecordException e) {
          return new InputDataException(
              "corrupt TFRecord data: " + e.getMessage() + " (TensorFlow: " + firstLine(message)
                  + ")",
              failure);
        } catch (IOException e) {
          return new InputDataException(
              "cannot read TFRecord file " + file + ": " + e.getMessage(), failure);
        }
      }
    }
    return new InputDataException(
        "input pipeline failed reading "
            + files.stream().map(Path::toString).collect(Collectors.joining(", "))
            + ": " + firstLine(message),
        failure);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
