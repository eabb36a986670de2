package org.mustjava.data.labels;

import java.util.Map;
import java.util.Optional;
import org.mustjava.data.augment.FieldGeometry;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.ClassLabel;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.FeatureReader;
import org.mustjava.data.example.FeatureWriter;
import org.mustjava.data.pipeline.ElementSpec;
import org.mustjava.data.pipeline.InputBatch;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Image classification: the hard label {@code image/class/label}, or with {@code softLabels} the
 * probabilities {@code image/class/probabilities} (a teacher's pseudo label). Batch: {@code
 * class_label} int32 (the argmax for soft labels; -1 = no label) and, when {@code numClasses} is
 * set, {@code class_probs} float32 [C] (the one-hot of a hard label; zeros = no label).
 */
public final class ClassificationLabels implements LabelType, LabelRecordCodec<ClassLabel> {
  static final ClassificationLabels INSTANCE = new ClassificationLabels();

  private ClassificationLabels() {}

  @Override
  public String name() {
    return "classification";
  }

  @Override
  public void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions o) {
    if (o.softLabels()) {
      features.dense(FeatureKeys.CLASS_PROBABILITIES, TFloat32.class, Shape.of(o.numClasses()), null);
    } else {
      features.dense(FeatureKeys.CLASS_LABEL, TInt64.class, Shape.scalar(), null);
    }
  }

  @Override
  public Sample decode(Ops tf, ExampleFeatures features, LabelOptions o, Sample sample,
      Operand<TInt32> height, Operand<TInt32> width) {
    Operand<TInt32> label;
    Operand<TFloat32> probs = null;
    if (o.softLabels()) {
      probs = features.get(FeatureKeys.CLASS_PROBABILITIES);
      label = tf.dtypes.cast(tf.math.argMax(probs, tf.constant(0)), TInt32.class);
    } else {
      label = tf.dtypes.cast(features.<TInt64>get(FeatureKeys.CLASS_LABEL), TInt32.class);
      if (o.numClasses() > 0) {
        probs = tf.oneHot(label, tf.constant(o.numClasses()), tf.constant(1f), tf.constant(0f));
      }
    }
    return sample.with(InputBatch.CLASS_LABEL, label, FieldGeometry.NONE)
        .with(InputBatch.CLASS_PROBS, probs, FieldGeometry.NONE);
  }

  @Override
  public void addComponents(ElementSpec spec, LabelOptions o) {
    spec.add(InputBatch.CLASS_LABEL, TInt32.class, Shape.scalar(), -1);
    if (o.numClasses() > 0) {
      spec.add(InputBatch.CLASS_PROBS, TFloat32.class, Shape.of(o.numClasses()), 0f);
    }
  }

  @Override
  public void putComponents(Ops tf, Sample sample, LabelOptions o, Map<String, Operand<?>> out) {
    out.put(InputBatch.CLASS_LABEL, sample.field(InputBatch.CLASS_LABEL));
    if (sample.field(InputBatch.CLASS_PROBS) != null) {
      out.put(InputBatch.CLASS_PROBS, sample.field(InputBatch.CLASS_PROBS));
    }
  }

  // ---- record codec (Java side) ----

  @Override
  public Optional<LabelRecordCodec<?>> recordCodec() {
    return Optional.of(this);
  }

  @Override
  public Class<ClassLabel> valueType() {
    return ClassLabel.class;
  }

  @Override
  public boolean inRecord(FeatureReader r) {
    return r.has(FeatureKeys.CLASS_LABEL) || r.has(FeatureKeys.CLASS_PROBABILITIES);
  }

  @Override
  public ClassLabel read(FeatureReader r, int height, int width) {
    Integer label = r.has(FeatureKeys.CLASS_LABEL) ? (int) r.int64(FeatureKeys.CLASS_LABEL) : null;
    float[] probs = r.has(FeatureKeys.CLASS_PROBABILITIES) ? r.floats(FeatureKeys.CLASS_PROBABILITIES) : null;
    return ClassLabel.of(label, probs);
  }

  @Override
  public void write(ClassLabel value, FeatureWriter w) {
    value.label().ifPresent(l -> w.int64s(FeatureKeys.CLASS_LABEL, l));
    value.probabilities().ifPresent(p -> w.floats(FeatureKeys.CLASS_PROBABILITIES, p));
  }

  @Override
  public String toString() {
    return name();
  }
}
