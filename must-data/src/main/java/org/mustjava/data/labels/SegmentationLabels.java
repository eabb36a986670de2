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
public final class SegmentationLabels implements LabelType {
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

  @Override
  public String toString() {
    return name();
  }
}
