package org.mustjava.data.labels;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.data.augment.FieldGeometry;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.DepthType;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.FeatureReader;
import org.mustjava.data.example.FeatureWriter;
import org.mustjava.data.pipeline.ElementSpec;
import org.mustjava.data.pipeline.InputBatch;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.op.io.DecodeRaw;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;

/**
 * Depth: {@code image/depth/encoded} in the pipeline's {@code depthFormat} ({@code raw_float32}, or
 * {@code png16} times {@code image/depth/scale}), and {@code image/depth/type} ({@link DepthType}).
 *
 * <p>Decoded as a two-channel map {@code [H, W, 2]}: the depth (0 where invalid) and its validity
 * (1/0), so that geometric augmentation moves both together and padding (0) is invalid. A pixel is
 * valid when finite and, for metric depth, positive (0 = no measurement); relative and
 * inverse-relative (pseudo-label) depth is valid wherever finite (MiDaS's inverse depth is 0 at
 * infinity, a value). Batch: {@code depth}, {@code depth_valid} [S, S] and {@code depth_type}.
 */
public final class DepthLabels implements LabelType, LabelRecordCodec<DepthMap> {
  static final DepthLabels INSTANCE = new DepthLabels();

  /** The record's {@link DepthType#code()}, a field that does not move with the image. */
  private static final String TYPE_FIELD = InputBatch.DEPTH_TYPE;

  private DepthLabels() {}

  @Override
  public String name() {
    return "depth";
  }

  @Override
  public void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions o) {
    features.dense(FeatureKeys.DEPTH_ENCODED, TString.class, Shape.scalar(), null);
    features.dense(FeatureKeys.DEPTH_FORMAT, TString.class, Shape.scalar(), tf.constant(""));
    features.dense(FeatureKeys.DEPTH_SCALE, TFloat32.class, Shape.scalar(), tf.constant(1f));
    features.dense(FeatureKeys.DEPTH_TYPE, TString.class, Shape.scalar(), tf.constant(FeatureKeys.DEPTH_METRIC));
  }

  @Override
  public Sample decode(Ops tf, ExampleFeatures features, LabelOptions o, Sample sample,
      Operand<TInt32> height, Operand<TInt32> width) {
    Operand<TInt32> depthType = depthTypeCode(tf, features.get(FeatureKeys.DEPTH_TYPE));
    return sample.withDepth(decodeDepth(tf, features, o.depthFormat(), depthType, height, width))
        .with(TYPE_FIELD, depthType, FieldGeometry.NONE);
  }

  /** The {@link DepthType#code()} of an {@code image/depth/type} value; another value fails the step. */
  private static Operand<TInt32> depthTypeCode(Ops tf, Operand<TString> type) {
    Operand<TInt32> code = tf.constant(-1);
    for (DepthType t : DepthType.values()) {
      code = tf.select(tf.math.equal(type, tf.constant(t.featureValue())), tf.constant(t.code()), code);
    }
    AssertThat known =
        tf.assertThat(
            tf.math.greaterEqual(code, tf.constant(0)),
            List.of(
                tf.constant(FeatureKeys.DEPTH_TYPE + " must be '" + FeatureKeys.DEPTH_METRIC + "', '"
                    + FeatureKeys.DEPTH_RELATIVE + "' or '" + FeatureKeys.DEPTH_INVERSE_RELATIVE + "', got: "),
                type));
    return tf.withControlDependencies(known).identity(code);
  }

  /** Depth and validity as {@code [H, W, 2]}; see the class comment. */
  private static Operand<TFloat32> decodeDepth(Ops tf, ExampleFeatures features, String depthFormat,
      Operand<TInt32> depthType, Operand<TInt32> height, Operand<TInt32> width) {
    Operand<TString> encoded = features.get(FeatureKeys.DEPTH_ENCODED);
    Operand<TString> format = features.get(FeatureKeys.DEPTH_FORMAT);
    // Records without a format feature are taken to be in the configured format.
    Operand<TBool> formatOk =
        tf.math.logicalOr(tf.math.equal(format, tf.constant(depthFormat)), tf.math.equal(format, tf.constant("")));
    AssertThat check =
        tf.assertThat(
            formatOk,
            List.of(
                tf.constant(FeatureKeys.DEPTH_FORMAT + " of the record differs from the pipeline's"
                    + " depthFormat '" + depthFormat + "': "),
                format),
            AssertThat.summarize(1L));
    Ops checked = tf.withControlDependencies(check);
    Operand<TFloat32> depth;
    if (depthFormat.equals(FeatureKeys.FORMAT_RAW_FLOAT32)) {
      depth =
          tf.reshape(
              checked.io.decodeRaw(encoded, TFloat32.class, DecodeRaw.littleEndian(true)),
              tf.stack(List.of(height, width, tf.constant(1))));
    } else {
      Operand<TUint16> units = checked.image.decodePng(encoded, TUint16.class, DecodePng.channels(1L));
      depth = tf.math.mul(tf.dtypes.cast(units, TFloat32.class), features.<TFloat32>get(FeatureKeys.DEPTH_SCALE));
    }
    Operand<TBool> relative = tf.math.notEqual(depthType, tf.constant(DepthType.METRIC.code()));
    Operand<TBool> valid =
        tf.math.logicalAnd(
            tf.math.isFinite(depth), tf.math.logicalOr(relative, tf.math.greater(depth, tf.constant(0f))));
    Operand<TFloat32> cleaned = tf.select(valid, depth, tf.zerosLike(depth));
    return tf.concat(List.of(cleaned, tf.dtypes.cast(valid, TFloat32.class)), tf.constant(2));
  }

  @Override
  public void addComponents(ElementSpec spec, LabelOptions o) {
    long s = o.imageSize();
    spec.add(InputBatch.DEPTH, TFloat32.class, Shape.of(s, s), 0f);
    spec.add(InputBatch.DEPTH_VALID, TFloat32.class, Shape.of(s, s), 0f);
    spec.add(InputBatch.DEPTH_TYPE, TInt32.class, Shape.scalar(), DepthType.METRIC.code());
  }

  @Override
  public void putComponents(Ops tf, Sample sample, LabelOptions o, Map<String, Operand<?>> out) {
    // Channel 0: depth, channel 1: validity; each emitted as [S, S].
    out.put(InputBatch.DEPTH, LabelMaps.channel(tf, sample.depth(), 0));
    out.put(InputBatch.DEPTH_VALID, LabelMaps.channel(tf, sample.depth(), 1));
    out.put(InputBatch.DEPTH_TYPE, sample.field(TYPE_FIELD));
  }

  @Override
  public void addOriginalComponents(ElementSpec spec) {
    spec.add(InputBatch.DEPTH_ORIGINAL, TFloat32.class, Shape.of(-1, -1), 0f);
    spec.add(InputBatch.DEPTH_VALID_ORIGINAL, TFloat32.class, Shape.of(-1, -1), 0f);
    spec.add(InputBatch.DEPTH_ORIGINAL_SIZE, TInt32.class, Shape.of(2), 0);
  }

  @Override
  public void putOriginalComponents(Ops tf, Sample decoded, Map<String, Operand<?>> out) {
    out.put(InputBatch.DEPTH_ORIGINAL, LabelMaps.channel(tf, decoded.depth(), 0));
    out.put(InputBatch.DEPTH_VALID_ORIGINAL, LabelMaps.channel(tf, decoded.depth(), 1));
    out.put(InputBatch.DEPTH_ORIGINAL_SIZE, LabelMaps.spatialSize(tf, decoded.depth()));
  }

  // ---- record codec (Java side) ----

  @Override
  public Optional<LabelRecordCodec<?>> recordCodec() {
    return Optional.of(this);
  }

  @Override
  public Class<DepthMap> valueType() {
    return DepthMap.class;
  }

  @Override
  public boolean inRecord(FeatureReader r) {
    return r.has(FeatureKeys.DEPTH_ENCODED);
  }

  @Override
  public DepthMap read(FeatureReader r, int height, int width) {
    DepthMap.Encoding enc =
        DepthMap.Encoding.fromFeatureValue(r.string(FeatureKeys.DEPTH_FORMAT, FeatureKeys.FORMAT_RAW_FLOAT32));
    float scale = enc == DepthMap.Encoding.PNG16 ? r.floats(FeatureKeys.DEPTH_SCALE, 1)[0] : 1f;
    DepthType type = DepthType.fromFeatureValue(r.string(FeatureKeys.DEPTH_TYPE, FeatureKeys.DEPTH_METRIC));
    return DepthMap.encoded(enc, r.bytes(FeatureKeys.DEPTH_ENCODED), scale, type);
  }

  @Override
  public void write(DepthMap depth, FeatureWriter w) {
    w.bytes(FeatureKeys.DEPTH_ENCODED, depth.data());
    w.string(FeatureKeys.DEPTH_FORMAT, depth.encoding().featureValue());
    if (depth.encoding() == DepthMap.Encoding.PNG16) {
      w.floats(FeatureKeys.DEPTH_SCALE, depth.scale());
    }
    w.string(FeatureKeys.DEPTH_TYPE, depth.type().featureValue());
  }

  @Override
  public DepthMap accept(DepthMap d, int height, int width) {
    if (d.encoding() == DepthMap.Encoding.RAW_FLOAT32 && d.data().length != 4L * height * width) {
      throw new IllegalArgumentException("raw depth has " + d.data().length / 4 + " values, image is "
          + height + "x" + width);
    }
    return d;
  }

  @Override
  public String toString() {
    return name();
  }
}
