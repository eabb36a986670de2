package org.mustjava.data.labels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.FeatureReader;
import org.mustjava.data.example.FeatureWriter;
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
public final class NormalsLabels implements LabelType, LabelRecordCodec<float[]> {
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

  // ---- record codec (Java side): unit normals H x W x 3, row-major, raw little-endian float32 ----

  @Override
  public Optional<LabelRecordCodec<?>> recordCodec() {
    return Optional.of(this);
  }

  @Override
  public Class<float[]> valueType() {
    return float[].class;
  }

  @Override
  public boolean inRecord(FeatureReader r) {
    return r.has(FeatureKeys.NORMALS_ENCODED);
  }

  @Override
  public float[] read(FeatureReader r, int height, int width) {
    String format = r.string(FeatureKeys.NORMALS_FORMAT, FeatureKeys.FORMAT_RAW_FLOAT32);
    if (!FeatureKeys.FORMAT_RAW_FLOAT32.equals(format)) {
      throw r.error(FeatureKeys.NORMALS_FORMAT, "is '" + format + "', only 'raw_float32' is supported");
    }
    byte[] raw = r.bytes(FeatureKeys.NORMALS_ENCODED);
    if (raw.length != 12L * height * width) {
      throw r.error(FeatureKeys.NORMALS_ENCODED, "has " + raw.length + " bytes, expected 4*3*" + height + "*" + width);
    }
    float[] xyz = new float[raw.length / 4];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(xyz);
    return xyz;
  }

  @Override
  public void write(float[] xyz, FeatureWriter w) {
    ByteBuffer b = ByteBuffer.allocate(xyz.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(xyz);
    w.bytes(FeatureKeys.NORMALS_ENCODED, b.array());
    w.string(FeatureKeys.NORMALS_FORMAT, FeatureKeys.FORMAT_RAW_FLOAT32);
  }

  @Override
  public float[] accept(float[] xyz, int height, int width) {
    if (xyz.length != 3L * height * width) {
      throw new IllegalArgumentException("normals have " + xyz.length + " values, expected 3*"
          + height + "*" + width);
    }
    return xyz.clone();
  }

  @Override
  public float[] copy(float[] xyz) {
    return xyz.clone();
  }

  @Override
  public String describe(float[] xyz) {
    return "normals";
  }

  @Override
  public String toString() {
    return name();
  }
}
