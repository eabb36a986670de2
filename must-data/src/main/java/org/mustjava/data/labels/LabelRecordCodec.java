package org.mustjava.data.labels;

import java.util.Objects;
import org.mustjava.data.example.FeatureReader;
import org.mustjava.data.example.FeatureWriter;

/**
 * The Java side of a label type's record features: its value in a {@link
 * org.mustjava.data.example.MultiTaskExample} (what converters, synthetic scenes and pseudo labels
 * build) to and from {@code tf.train.Example} features (keys in {@link
 * org.mustjava.data.example.FeatureKeys}, spec in {@code docs/tfrecord-features.md}). The graph-side
 * decoding of the same features is the {@link LabelType}'s.
 *
 * @param <V> the label's value, e.g. {@link org.mustjava.data.example.ObjectBoxes}
 */
public interface LabelRecordCodec<V> {
  /** The class of the values. */
  Class<V> valueType();

  /** Whether the record carries this label (reading it may still fail). */
  boolean inRecord(FeatureReader features);

  /**
   * Reads the label of an image of {@code height} x {@code width}.
   *
   * @throws org.mustjava.data.example.InvalidExampleException naming the key, or
   *     IllegalArgumentException for an invalid value
   */
  V read(FeatureReader features, int height, int width);

  /** Writes the features of {@code value}, in a fixed order. */
  void write(V value, FeatureWriter features);

  /** Checks {@code value} for an image of {@code height} x {@code width}; a copy if it is mutable. */
  default V accept(V value, int height, int width) {
    return Objects.requireNonNull(value);
  }

  /** A copy of a mutable value for a caller; the value itself if immutable. */
  default V copy(V value) {
    return value;
  }

  /** {@code value} in {@code MultiTaskExample.toString()}. */
  default String describe(V value) {
    return value.toString();
  }
}
