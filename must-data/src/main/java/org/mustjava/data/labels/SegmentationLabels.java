package org.mustjava.data.labels;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.FeatureReader;
import org.mustjava.data.example.FeatureWriter;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.pipeline.ElementSpec;
import org.mustjava.data.pipeline.InputBatch;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Semantic segmentation: {@code image/segmentation/class/encoded}, an 8-bit PNG of class ids
 * ({@link Sample#IGNORE_LABEL} = no label), moved with the image by nearest neighbour and padded
 * with the ignore label. Batch: {@code segmentation} int32 [S, S] (all 255 = no label).
 */
public final class SegmentationLabels implements LabelType, LabelRecordCodec<byte[]> {
  static final SegmentationLabels INSTANCE = new SegmentationLabels();

  private SegmentationLabels() {}

  @Override
  public String name() {
    return "segmentation";
  }

  @Override
  public void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions o) {
    features.dense(FeatureKeys.SEGMENTATION_ENCODED, TString.class, Shape.scalar(), null);
  }

  @Override
  public Sample decode(Ops tf, ExampleFeatures features, LabelOptions o, Sample sample,
      Operand<TInt32> height, Operand<TInt32> width) {
    Operand<TUint8> seg = tf.image.decodePng(
        features.<TString>get(FeatureKeys.SEGMENTATION_ENCODED), TUint8.class, DecodePng.channels(1L));
    return sample.withSegmentation(tf.dtypes.cast(seg, TInt32.class));
  }

  @Override
  public void addComponents(ElementSpec spec, LabelOptions o) {
    long s = o.imageSize();
    spec.add(InputBatch.SEGMENTATION, TInt32.class, Shape.of(s, s), Sample.IGNORE_LABEL);
  }

  @Override
  public void putComponents(Ops tf, Sample sample, LabelOptions o, Map<String, Operand<?>> out) {
    out.put(InputBatch.SEGMENTATION, tf.squeeze(sample.segmentation(), Squeeze.axis(List.of(2L))));
  }

  @Override
  public void addOriginalComponents(ElementSpec spec) {
    spec.add(InputBatch.SEGMENTATION_ORIGINAL, TInt32.class, Shape.of(-1, -1), Sample.IGNORE_LABEL);
    spec.add(InputBatch.SEGMENTATION_ORIGINAL_SIZE, TInt32.class, Shape.of(2), 0);
  }

  @Override
  public void putOriginalComponents(Ops tf, Sample decoded, Map<String, Operand<?>> out) {
    out.put(InputBatch.SEGMENTATION_ORIGINAL, tf.squeeze(decoded.segmentation(), Squeeze.axis(List.of(2L))));
    out.put(InputBatch.SEGMENTATION_ORIGINAL_SIZE, LabelMaps.spatialSize(tf, decoded.segmentation()));
  }

  // ---- record codec (Java side): the encoded PNG of class indices, 255 = ignore ----

  @Override
  public Optional<LabelRecordCodec<?>> recordCodec() {
    return Optional.of(this);
  }

  @Override
  public Class<byte[]> valueType() {
    return byte[].class;
  }

  @Override
  public boolean inRecord(FeatureReader r) {
    return r.has(FeatureKeys.SEGMENTATION_ENCODED);
  }

  @Override
  public byte[] read(FeatureReader r, int height, int width) {
    String format = r.string(FeatureKeys.SEGMENTATION_FORMAT, FeatureKeys.FORMAT_PNG);
    if (!FeatureKeys.FORMAT_PNG.equals(format)) {
      throw r.error(FeatureKeys.SEGMENTATION_FORMAT, "is '" + format + "', only 'png' is supported");
    }
    return r.bytes(FeatureKeys.SEGMENTATION_ENCODED);
  }

  @Override
  public void write(byte[] png, FeatureWriter w) {
    w.bytes(FeatureKeys.SEGMENTATION_ENCODED, png);
    w.string(FeatureKeys.SEGMENTATION_FORMAT, FeatureKeys.FORMAT_PNG);
  }

  @Override
  public byte[] accept(byte[] png, int height, int width) {
    if (!FeatureKeys.FORMAT_PNG.equals(ImageCodecs.sniffFormat(png))) {
      throw new IllegalArgumentException("segmentation must be a PNG");
    }
    return png.clone();
  }

  @Override
  public byte[] copy(byte[] png) {
    return png.clone();
  }

  @Override
  public String describe(byte[] png) {
    return "segmentation";
  }

  @Override
  public String toString() {
    return name();
  }
}
