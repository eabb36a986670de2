package org.mustjava.data.labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.data.augment.BoxFilter;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.FeatureReader;
import org.mustjava.data.example.FeatureWriter;
import org.mustjava.data.example.ObjectBoxes;
import org.mustjava.data.pipeline.ElementSpec;
import org.mustjava.data.pipeline.InputBatch;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Object detection: per object a normalised box ({@code image/object/bbox/*}), a class ({@code
 * image/object/class/label}) and the evaluation flags difficult (VOC) and is_crowd (COCO). Boxes
 * move with the image; boxes left empty by the crop are dropped with their rows, and at most {@code
 * maxBoxes} are kept. Batch: {@code boxes} [M, 4], {@code box_classes} [M] (-1 padding), {@code
 * num_boxes}, {@code box_difficult}, {@code box_is_crowd} [M] and {@code detection_labelled} (0 =
 * the example has no detection label).
 */
public final class DetectionLabels implements LabelType, LabelRecordCodec<ObjectBoxes> {
  static final DetectionLabels INSTANCE = new DetectionLabels();

  private static final String[] BOX_KEYS = {
    FeatureKeys.BBOX_YMIN, FeatureKeys.BBOX_XMIN, FeatureKeys.BBOX_YMAX, FeatureKeys.BBOX_XMAX
  };

  private DetectionLabels() {}

  @Override
  public String name() {
    return "detection";
  }

  @Override
  public void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions o) {
    for (String k : BOX_KEYS) {
      features.sparse(k, TFloat32.class);
    }
    features.sparse(FeatureKeys.OBJECT_CLASS_LABEL, TInt64.class);
    features.sparse(FeatureKeys.OBJECT_DIFFICULT, TInt64.class);
    features.sparse(FeatureKeys.OBJECT_IS_CROWD, TInt64.class);
  }

  @Override
  public Sample decode(Ops tf, ExampleFeatures features, LabelOptions o, Sample sample,
      Operand<TInt32> height, Operand<TInt32> width) {
    List<Operand<TFloat32>> coords = new ArrayList<>();
    for (String k : BOX_KEYS) {
      coords.add(features.get(k));
    }
    Operand<TFloat32> boxes = tf.stack(coords, Stack.axis(1L)); // fails if lengths differ
    Operand<TInt32> classes =
        tf.dtypes.cast(features.<TInt64>get(FeatureKeys.OBJECT_CLASS_LABEL), TInt32.class);
    Operand<TInt32> flags =
        tf.stack(
            List.of(
                boxFlag(tf, features.get(FeatureKeys.OBJECT_DIFFICULT), classes),
                boxFlag(tf, features.get(FeatureKeys.OBJECT_IS_CROWD), classes)),
            Stack.axis(1L));
    return sample.withBoxes(boxes, classes, flags);
  }

  /**
   * A per-object 0/1 flag ({@code image/object/difficult} or {@code is_crowd}) as int32 {@code [N]}:
   * absent (empty) means 0 for every object; otherwise it must have one value per object.
   */
  private static Operand<TInt32> boxFlag(Ops tf, Operand<TInt64> values, Operand<TInt32> classes) {
    Operand<TInt32> n = tf.size(classes);
    Operand<TInt32> given = tf.size(values);
    AssertThat check =
        tf.assertThat(
            tf.math.logicalOr(tf.math.equal(given, tf.constant(0)), tf.math.equal(given, n)),
            List.of(
                tf.constant("image/object/difficult and image/object/is_crowd need one value per object"
                    + " (or none); values, objects:"),
                given,
                n));
    Operand<TInt32> flags =
        tf.withControlDependencies(check).dtypes.cast(tf.math.notEqual(values, tf.constant(0L)), TInt32.class);
    // None given: pad the empty list to N zeros.
    return tf.pad(
        flags,
        tf.reshape(tf.stack(List.of(tf.constant(0), tf.math.sub(n, given))), tf.constant(new int[] {1, 2})),
        tf.constant(0));
  }

  @Override
  public void addComponents(ElementSpec spec, LabelOptions o) {
    int m = o.maxBoxes();
    spec.add(InputBatch.BOXES, TFloat32.class, Shape.of(m, 4), 0f);
    spec.add(InputBatch.BOX_CLASSES, TInt32.class, Shape.of(m), -1);
    spec.add(InputBatch.NUM_BOXES, TInt32.class, Shape.scalar(), 0);
    spec.add(InputBatch.BOX_DIFFICULT, TInt32.class, Shape.of(m), 0);
    spec.add(InputBatch.BOX_IS_CROWD, TInt32.class, Shape.of(m), 0);
    spec.add(InputBatch.DETECTION_LABELLED, TFloat32.class, Shape.scalar(), 0f);
  }

  @Override
  public void putComponents(Ops tf, Sample sample, LabelOptions o, Map<String, Operand<?>> out) {
    Sample kept = BoxFilter.keepFirst(tf, sample, o.maxBoxes());
    out.put(InputBatch.BOXES, kept.boxes());
    out.put(InputBatch.BOX_CLASSES, kept.boxClasses());
    out.put(InputBatch.NUM_BOXES, tf.size(kept.boxClasses()));
    Operand<TInt32> flags = kept.boxFlags() != null ? kept.boxFlags()
        : tf.zeros(tf.stack(List.of(tf.size(kept.boxClasses()), tf.constant(2))), TInt32.class);
    out.put(InputBatch.BOX_DIFFICULT, tf.gather(flags, tf.constant(0), tf.constant(1)));
    out.put(InputBatch.BOX_IS_CROWD, tf.gather(flags, tf.constant(1), tf.constant(1)));
    out.put(InputBatch.DETECTION_LABELLED, tf.constant(1f));
  }

  // ---- record codec (Java side) ----

  @Override
  public Optional<LabelRecordCodec<?>> recordCodec() {
    return Optional.of(this);
  }

  @Override
  public Class<ObjectBoxes> valueType() {
    return ObjectBoxes.class;
  }

  @Override
  public boolean inRecord(FeatureReader r) {
    return r.has(FeatureKeys.BBOX_YMIN) || r.has(FeatureKeys.OBJECT_CLASS_LABEL);
  }

  @Override
  public ObjectBoxes read(FeatureReader r, int height, int width) {
    float[] ymin = r.floats(FeatureKeys.BBOX_YMIN);
    int n = ymin.length;
    float[] xmin = r.floats(FeatureKeys.BBOX_XMIN, n);
    float[] ymax = r.floats(FeatureKeys.BBOX_YMAX, n);
    float[] xmax = r.floats(FeatureKeys.BBOX_XMAX, n);
    long[] cls = r.int64s(FeatureKeys.OBJECT_CLASS_LABEL, n);
    float[][] boxes = new float[n][];
    int[] classes = new int[n];
    for (int i = 0; i < n; i++) {
      boxes[i] = new float[] {ymin[i], xmin[i], ymax[i], xmax[i]};
      classes[i] = Math.toIntExact(cls[i]);
    }
    float[] scores = r.has(FeatureKeys.OBJECT_SCORE) ? r.floats(FeatureKeys.OBJECT_SCORE, n) : null;
    boolean[] difficult = r.has(FeatureKeys.OBJECT_DIFFICULT) ? bools(r.int64s(FeatureKeys.OBJECT_DIFFICULT, n)) : null;
    boolean[] crowd = r.has(FeatureKeys.OBJECT_IS_CROWD) ? bools(r.int64s(FeatureKeys.OBJECT_IS_CROWD, n)) : null;
    try {
      return ObjectBoxes.of(boxes, classes, scores, difficult, crowd);
    } catch (IllegalArgumentException e) {
      throw r.error("image/object/*", e.getMessage());
    }
  }

  @Override
  public void write(ObjectBoxes boxes, FeatureWriter w) {
    for (int k = 0; k < BOX_KEYS.length; k++) {
      w.floats(BOX_KEYS[k], boxes.coordinate(k));
    }
    w.int64s(FeatureKeys.OBJECT_CLASS_LABEL, boxes.classes());
    if (boxes.scores() != null) {
      w.floats(FeatureKeys.OBJECT_SCORE, boxes.scores());
    }
    if (boxes.difficult() != null) {
      w.flags(FeatureKeys.OBJECT_DIFFICULT, boxes.difficult());
    }
    if (boxes.crowd() != null) {
      w.flags(FeatureKeys.OBJECT_IS_CROWD, boxes.crowd());
    }
  }

  private static boolean[] bools(long[] v) {
    boolean[] out = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] != 0;
    }
    return out;
  }

  @Override
  public String toString() {
    return name();
  }
}
