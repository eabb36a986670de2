package org.mustjava.data.convert;

import java.io.IOException;

/**
 * Converts one data set layout into sharded TFRecords of {@code tf.train.Example}s with the standard
 * keys ({@code docs/tfrecord-features.md}). Implementations read their input in a deterministic
 * order, so converting twice gives identical files, and name the offending file in every error.
 * Expected layouts and label conventions: {@code docs/datasets.md}.
 */
public interface DatasetConverter {
  /** Reads {@link ConversionJob#input()} and writes one set of shards per split. */
  void convert(ConversionJob job) throws IOException;
}
