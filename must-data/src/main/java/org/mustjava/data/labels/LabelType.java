package org.mustjava.data.labels;

import java.util.Map;
import java.util.Optional;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.pipeline.ElementSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;

/**
 * One kind of label (classification, detection, segmentation, ...), everything the input pipeline
 * does with it in one unit, as TF Model Garden keeps a decoder and a parser per task:
 *
 * <ol>
 *   <li>{@link #requestFeatures}: the {@code tf.train.Example} features it reads (keys in {@link
 *       org.mustjava.data.example.FeatureKeys}, spec in {@code docs/tfrecord-features.md});
 *   <li>{@link #decode}: their tensors as {@link Sample} fields, each with the {@link
 *       org.mustjava.data.augment.FieldGeometry} that makes flips and scale/crop move it with the
 *       image;
 *   <li>{@link #addComponents} / {@link #putComponents}: its batch tensors ({@link
 *       org.mustjava.data.pipeline.InputBatch} names, dtypes, shapes, and the padding value that is
 *       also "no label" for an example of a source without it) from the augmented sample;
 *   <li>optionally the same at the label's original resolution for evaluation;
 *   <li>{@link #recordCodec}: on the Java side, its value in a {@link
 *       org.mustjava.data.example.MultiTaskExample} to and from the same features (converters,
 *       synthetic scenes and pseudo labels write records through it).
 * </ol>
 *
 * The built-in types are listed once in {@link LabelTypes}; a new label type is one implementation
 * (plus its head in must-models), registered there, or passed to {@code InputPipeline.builder}
 * directly.
 */
public interface LabelType {
  /** The config name, e.g. {@code "detection"} ({@code Pipeline.tasks}, {@code DataSource.labels}). */
  String name();

  /** Requests the record features this label type reads. */
  void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions options);

  /**
   * Adds this label type's fields, decoded from the parsed {@code features}, to {@code sample}.
   *
   * @param height int32 scalar height of the decoded image
   * @param width int32 scalar width of the decoded image
   */
  Sample decode(Ops tf, ExampleFeatures features, LabelOptions options, Sample sample,
      Operand<TInt32> height, Operand<TInt32> width);

  /** Adds the batch components of this label type to {@code spec}. */
  void addComponents(ElementSpec spec, LabelOptions options);

  /** Puts this example's component tensors, from the preprocessed {@code sample}, into {@code out}. */
  void putComponents(Ops tf, Sample sample, LabelOptions options, Map<String, Operand<?>> out);

  /** Components at the label's original resolution ({@code original_labels}); none by default. */
  default void addOriginalComponents(ElementSpec spec) {}

  /** Their tensors from the {@code decoded} (not preprocessed) sample. */
  default void putOriginalComponents(Ops tf, Sample decoded, Map<String, Operand<?>> out) {}

  /**
   * Its Java-side record codec; empty for a type that only the input pipeline reads ({@link
   * org.mustjava.data.example.MultiTaskExample} then neither reads nor writes it).
   */
  default Optional<LabelRecordCodec<?>> recordCodec() {
    return Optional.empty();
  }
}
