package org.mustjava.data.pipeline;

import java.util.Set;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.labels.ExampleFeatures;
import org.mustjava.data.labels.LabelOptions;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Graph ops that parse one serialized {@code tf.train.Example} (keys: {@link FeatureKeys}, spec in
 * {@code docs/tfrecord-features.md}) and decode the image and the labels of the requested {@link
 * LabelType}s, each of which reads its own features and adds its own {@link Sample} fields. Every
 * label of a requested type is required: a record without it fails with TensorFlow's "Feature ...
 * is required but could not be found" naming the key.
 */
final class ExampleDecoder {
  /** What a pipeline wants from each record: these label types, decoded with these options. */
  record Spec(Set<LabelType> types, LabelOptions options) {
    Spec {
      types = LabelTypes.ordered(types);
    }
  }

  /** The decoded tensors of one example: image and labels in a {@link Sample}, and its id. */
  record Decoded(Sample sample, Operand<TString> sourceId) {}

  private final Spec spec;

  ExampleDecoder(Spec spec) {
    this.spec = spec;
  }

  Decoded decode(Ops tf, Operand<TString> serialized) {
    ExampleFeatures features = new ExampleFeatures();
    features.dense(FeatureKeys.IMAGE_ENCODED, TString.class, Shape.scalar(), null);
    features.dense(FeatureKeys.IMAGE_SOURCE_ID, TString.class, Shape.scalar(), tf.constant(""));
    for (LabelType t : spec.types()) {
      t.requestFeatures(tf, features, spec.options());
    }
    features.parse(tf, serialized);

    Operand<TUint8> rgb =
        tf.image.decodeImage(
            features.<TString>get(FeatureKeys.IMAGE_ENCODED),
            TUint8.class,
            DecodeImage.channels(3L),
            DecodeImage.expandAnimations(false));
    Operand<TFloat32> image = ImageNormalization.normalize(tf, rgb);
    Operand<TInt32> shape = tf.shape(rgb);
    Operand<TInt32> height = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> width = tf.gather(shape, tf.constant(1), tf.constant(0));
    Sample sample = Sample.ofImage(image);
    for (LabelType t : spec.types()) {
      sample = t.decode(tf, features, spec.options(), sample, height, width);
    }
    return new Decoded(sample, features.get(FeatureKeys.IMAGE_SOURCE_ID));
  }
}
