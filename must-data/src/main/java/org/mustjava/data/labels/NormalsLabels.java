package org.mustjava.data.labels;

import java.util.List;
import java.util.Map;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.pipeline.ElementSpec;
import org.mustjava.data.pipeline.InputBatch;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceAll;
import org.tensorflow.op.io.DecodeRaw;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * Surface normals: {@code image/normals/encoded}, little-endian float32 HxWx3 in the camera frame;
 * (0, 0, 0) and non-finite vectors = no label. Flips negate x. Batch: {@code normals} float32
 * [S, S, 3] and {@code normals_valid} [S, S] (all 0 = no label).
 */
public final class NormalsLabels implements LabelType {
  static final NormalsLabels INSTANCE = new NormalsLabels();

  private NormalsLabels() {}

  @Override
  public String name() {
    return "normals";
  }

  @Override
  public void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions o) {
    features.dense(FeatureKeys.NORMALS_ENCODED, TString.class, Shape.scalar(), null);
  }

  @Override
  public Sample decode(Ops tf, ExampleFeatures features, LabelOptions o, Sample sample,
      Operand<TInt32> height, Operand<TInt32> width) {
    Operand<TFloat32> normals =
        tf.reshape(
            tf.io.decodeRaw(
                features.<TString>get(FeatureKeys.NORMALS_ENCODED), TFloat32.class, DecodeRaw.littleEndian(true)),
            tf.stack(List.of(height, width, tf.constant(3))));
    // Non-finite normals carry no label: make them the "no label" zero vector.
    Operand<TBool> finite = tf.reduceAll(tf.math.isFinite(normals), tf.constant(2), ReduceAll.keepDims(true));
    return sample.withNormals(tf.select(finite, normals, tf.zerosLike(normals)));
  }

  @Override
  public void addComponents(ElementSpec spec, LabelOptions o) {
    long s = o.imageSize();
    spec.add(InputBatch.NORMALS, TFloat32.class, Shape.of(s, s, 3), 0f);
    spec.add(InputBatch.NORMALS_VALID, TFloat32.class, Shape.of(s, s), 0f);
  }

  @Override
  public void putComponents(Ops tf, Sample sample, LabelOptions o, Map<String, Operand<?>> out) {
    out.put(InputBatch.NORMALS, sample.normals());
    out.put(InputBatch.NORMALS_VALID, LabelMaps.nonZero(tf, sample.normals()));
  }

  @Override
  public void addOriginalComponents(ElementSpec spec) {
    spec.add(InputBatch.NORMALS_ORIGINAL, TFloat32.class, Shape.of(-1, -1, 3), 0f);
    spec.add(InputBatch.NORMALS_VALID_ORIGINAL, TFloat32.class, Shape.of(-1, -1), 0f);
    spec.add(InputBatch.NORMALS_ORIGINAL_SIZE, TInt32.class, Shape.of(2), 0);
  }

  @Override
  public void putOriginalComponents(Ops tf, Sample decoded, Map<String, Operand<?>> out) {
    out.put(InputBatch.NORMALS_ORIGINAL, decoded.normals());
    out.put(InputBatch.NORMALS_VALID_ORIGINAL, LabelMaps.nonZero(tf, decoded.normals()));
    out.put(InputBatch.NORMALS_ORIGINAL_SIZE, LabelMaps.spatialSize(tf, decoded.normals()));
  }

  @Override
  public String toString() {
    return name();
  }
}
