package org.mustjava.data.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.example.DepthType;
import org.mustjava.data.example.FeatureKeys;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssertThat;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.op.io.DecodeRaw;
import org.tensorflow.op.io.ParseSingleExample;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint16;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Graph ops that parse one serialized {@code tf.train.Example} (keys: {@link FeatureKeys}, spec in
 * {@code docs/tfrecord-features.md}) and decode the features the requested tasks need. Every label
 * of a requested task is required: a record without it fails with TensorFlow's "Feature ... is
 * required but could not be found" naming the key.
 *
 * <p>Depth comes out as a two-channel map {@code [H, W, 2]}: the depth (0 where invalid) and its
 * validity (1/0), so that geometric augmentation moves both together and padding (0) is invalid.
 * A pixel is valid when finite and, for metric depth, positive (0 = no measurement); relative and
 * inverse-relative (pseudo-label) depth is valid wherever finite (MiDaS's inverse depth is 0 at
 * infinity, a value). The record's {@link DepthType} comes out as its int32 code. Normals keep (0, 0, 0) for "no label".
 */
final class ExampleDecoder {
  /** What a pipeline wants from each record. */
  record Spec(Set<Task> tasks, int numClasses, boolean softLabels, String depthFormat) {
    Spec {
      tasks = Set.copyOf(tasks);
      if (softLabels && numClasses < 1) {
        throw new IllegalArgumentException("soft classification labels need numClasses >= 1");
      }
      if (!depthFormat.equals(FeatureKeys.FORMAT_RAW_FLOAT32)
          && !depthFormat.equals(FeatureKeys.FORMAT_PNG16)) {
        throw new IllegalArgumentException(
            "depthFormat must be '" + FeatureKeys.FORMAT_RAW_FLOAT32 + "' or '"
                + FeatureKeys.FORMAT_PNG16 + "', got '" + depthFormat + "'");
      }
    }

    boolean has(Task t) {
      return tasks.contains(t);
    }
  }

  /** The decoded tensors of one example: geometry-carrying fields in a {@link Sample}. */
  record Decoded(
      Sample sample,
      Operand<TString> sourceId,
      Operand<TInt32> classLabel,
      Operand<TFloat32> classProbs,
      Operand<TInt32> depthType) {}

  private static final String[] BOX_KEYS = {
    FeatureKeys.BBOX_YMIN, FeatureKeys.BBOX_XMIN, FeatureKeys.BBOX_YMAX, FeatureKeys.BBOX_XMAX
  };

  private final Spec spec;

  ExampleDecoder(Spec spec) {
    this.spec = spec;
  }

  /** Dense feature request: key, type, shape, default (null = required). */
  private record Dense(String key, Class<? extends TType> type, Shape shape, Operand<?> dflt) {}

  Decoded decode(Ops tf, Operand<TString> serialized) {
    List<Dense> dense = new ArrayList<>();
    dense.add(new Dense(FeatureKeys.IMAGE_ENCODED, TString.class, Shape.scalar(), null));
    dense.add(new Dense(FeatureKeys.IMAGE_SOURCE_ID, TString.class, Shape.scalar(), tf.constant("")));
    boolean classification = spec.has(Task.CLASSIFICATION);
    if (classification && !spec.softLabels()) {
      dense.add(new Dense(FeatureKeys.CLASS_LABEL, TInt64.class, Shape.scalar(), null));
    }
    if (classification && spec.softLabels()) {
      dense.add(
          new Dense(
              FeatureKeys.CLASS_PROBABILITIES, TFloat32.class, Shape.of(spec.numClasses()), null));
    }
    if (spec.has(Task.SEGMENTATION)) {
      dense.add(new Dense(FeatureKeys.SEGMENTATION_ENCODED, TString.class, Shape.scalar(), null));
    }
    if (spec.has(Task.DEPTH)) {
      dense.add(new Dense(FeatureKeys.DEPTH_ENCODED, TString.class, Shape.scalar(), null));
      dense.add(new Dense(FeatureKeys.DEPTH_FORMAT, TString.class, Shape.scalar(), tf.constant("")));
      dense.add(new Dense(FeatureKeys.DEPTH_SCALE, TFloat32.class, Shape.scalar(), tf.constant(1f)));
      dense.add(
          new Dense(
              FeatureKeys.DEPTH_TYPE,
              TString.class,
              Shape.scalar(),
              tf.constant(FeatureKeys.DEPTH_METRIC)));
    }
    if (spec.has(Task.NORMALS)) {
      dense.add(new Dense(FeatureKeys.NORMALS_ENCODED, TString.class, Shape.scalar(), null));
    }
    List<String> sparseKeys = new ArrayList<>();
    List<Class<? extends TType>> sparseTypes = new ArrayList<>();
    if (spec.has(Task.DETECTION)) {
      for (String k : BOX_KEYS) {
        sparseKeys.add(k);
        sparseTypes.add(TFloat32.class);
      }
      sparseKeys.add(FeatureKeys.OBJECT_CLASS_LABEL);
      sparseTypes.add(TInt64.class);
      sparseKeys.add(FeatureKeys.OBJECT_DIFFICULT);
      sparseTypes.add(TInt64.class);
      sparseKeys.add(FeatureKeys.OBJECT_IS_CROWD);
      sparseTypes.add(TInt64.class);
    }

    List<Operand<?>> defaults = new ArrayList<>();
    for (Dense d : dense) {
      defaults.add(d.dflt() != null ? d.dflt() : emptyOf(tf, d.type()));
    }
    ParseSingleExample parsed =
        tf.io.parseSingleExample(
            serialized,
            defaults,
            (long) sparseKeys.size(),
            sparseKeys,
            dense.stream().map(Dense::key).toList(),
            sparseTypes,
            dense.stream().map(Dense::shape).toList());
    List<?> values = parsed.denseValues();
    java.util.Map<String, Operand<?>> byKey = new java.util.HashMap<>();
    for (int i = 0; i < dense.size(); i++) {
      byKey.put(dense.get(i).key(), (Operand<?>) values.get(i));
    }

    Operand<TUint8> rgb =
        tf.image.decodeImage(
            string(byKey, FeatureKeys.IMAGE_ENCODED),
            TUint8.class,
            DecodeImage.channels(3L),
            DecodeImage.expandAnimations(false));
    Operand<TFloat32> image = ImageNormalization.normalize(tf, rgb);
    Operand<TInt32> shape = tf.shape(rgb);
    Operand<TInt32> height = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> width = tf.gather(shape, tf.constant(1), tf.constant(0));
    Sample sample = Sample.ofImage(image);

    Operand<TInt32> classLabel = null;
    Operand<TFloat32> classProbs = null;
    if (classification && !spec.softLabels()) {
      classLabel = tf.dtypes.cast(int64(byKey, FeatureKeys.CLASS_LABEL), TInt32.class);
      if (spec.numClasses() > 0) {
        classProbs =
            tf.oneHot(classLabel, tf.constant(spec.numClasses()), tf.constant(1f), tf.constant(0f));
      }
    } else if (classification) {
      classProbs = float32(byKey, FeatureKeys.CLASS_PROBABILITIES);
      classLabel = tf.dtypes.cast(tf.math.argMax(classProbs, tf.constant(0)), TInt32.class);
    }
    if (spec.has(Task.DETECTION)) {
      List<Operand<TFloat32>> coords = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        @SuppressWarnings("unchecked")
        Operand<TFloat32> c = (Operand<TFloat32>) parsed.sparseValues().get(i);
        coords.add(c);
      }
      @SuppressWarnings("unchecked")
      Operand<TInt64> labels = (Operand<TInt64>) parsed.sparseValues().get(4);
      Operand<TFloat32> boxes =
          tf.stack(coords, org.tensorflow.op.core.Stack.axis(1L)); // fails if lengths differ
      Operand<TInt32> classes = tf.dtypes.cast(labels, TInt32.class);
      @SuppressWarnings("unchecked")
      Operand<TInt64> difficult = (Operand<TInt64>) parsed.sparseValues().get(5);
      @SuppressWarnings("unchecked")
      Operand<TInt64> crowd = (Operand<TInt64>) parsed.sparseValues().get(6);
      Operand<TInt32> flags =
          tf.stack(
              List.of(boxFlag(tf, difficult, classes), boxFlag(tf, crowd, classes)),
              org.tensorflow.op.core.Stack.axis(1L));
      sample = sample.withBoxes(boxes, classes, flags);
    }
    if (spec.has(Task.SEGMENTATION)) {
      Operand<TUint8> seg =
          tf.image.decodePng(
              string(byKey, FeatureKeys.SEGMENTATION_ENCODED), TUint8.class, DecodePng.channels(1L));
      sample = sample.withSegmentation(tf.dtypes.cast(seg, TInt32.class));
    }
    Operand<TInt32> depthType = null;
    if (spec.has(Task.DEPTH)) {
      depthType = depthTypeCode(tf, string(byKey, FeatureKeys.DEPTH_TYPE));
      sample = sample.withDepth(decodeDepth(tf, byKey, depthType, height, width));
    }
    if (spec.has(Task.NORMALS)) {
      Operand<TFloat32> normals =
          tf.reshape(
              tf.io.decodeRaw(
                  string(byKey, FeatureKeys.NORMALS_ENCODED),
                  TFloat32.class,
                  DecodeRaw.littleEndian(true)),
              tf.stack(List.of(height, width, tf.constant(3))));
      // Non-finite normals carry no label: make them the "no label" zero vector.
      Operand<TBool> finite =
          tf.reduceAll(tf.math.isFinite(normals), tf.constant(2), org.tensorflow.op.core.ReduceAll.keepDims(true));
      normals = tf.select(finite, normals, tf.zerosLike(normals));
      sample = sample.withNormals(normals);
    }
    return new Decoded(
        sample, string(byKey, FeatureKeys.IMAGE_SOURCE_ID), classLabel, classProbs, depthType);
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

  /**
   * A per-object 0/1 flag ({@code image/object/difficult} or {@code is_crowd}) as int32 {@code [N]}:
   * absent (empty) means 0 for every object; otherwise it must have one value per object.
   */
  private static Operand<TInt32> boxFlag(Ops tf, Operand<TInt64> values, Operand<TInt32> classes) {
    Operand<TInt32> n = tf.size(classes);
    Operand<TInt32> given = tf.size(values);
    AssertThat check =
        tf.assertThat(
            tf.math.logicalOr(
                tf.math.equal(given, tf.constant(0)), tf.math.equal(given, n)),
            List.of(
                tf.constant("image/object/difficult and image/object/is_crowd need one value per object"
                    + " (or none); values, objects:"),
                given,
                n));
    Operand<TInt32> flags =
        tf.withControlDependencies(check)
            .dtypes.cast(tf.math.notEqual(values, tf.constant(0L)), TInt32.class);
    // None given: pad the empty list to N zeros.
    return tf.pad(
        flags,
        tf.reshape(tf.stack(List.of(tf.constant(0), tf.math.sub(n, given))), tf.constant(new int[] {1, 2})),
        tf.constant(0));
  }

  /** Depth and validity as {@code [H, W, 2]}; see the class comment. */
  private Operand<TFloat32> decodeDepth(
      Ops tf, java.util.Map<String, Operand<?>> byKey, Operand<TInt32> depthType, Operand<TInt32> height,
      Operand<TInt32> width) {
    Operand<TString> encoded = string(byKey, FeatureKeys.DEPTH_ENCODED);
    Operand<TString> format = string(byKey, FeatureKeys.DEPTH_FORMAT);
    // Records without a format feature are taken to be in the configured format.
    Operand<TBool> formatOk =
        tf.math.logicalOr(
            tf.math.equal(format, tf.constant(spec.depthFormat())),
            tf.math.equal(format, tf.constant("")));
    AssertThat check =
        tf.assertThat(
            formatOk,
            List.of(
                tf.constant(
                    FeatureKeys.DEPTH_FORMAT + " of the record differs from the pipeline's"
                        + " depthFormat '" + spec.depthFormat() + "': "),
                format),
            AssertThat.summarize(1L));
    Ops checked = tf.withControlDependencies(check);
    Operand<TFloat32> depth;
    if (spec.depthFormat().equals(FeatureKeys.FORMAT_RAW_FLOAT32)) {
      depth =
          tf.reshape(
              checked.io.decodeRaw(encoded, TFloat32.class, DecodeRaw.littleEndian(true)),
              tf.stack(List.of(height, width, tf.constant(1))));
    } else {
      Operand<TUint16> units = checked.image.decodePng(encoded, TUint16.class, DecodePng.channels(1L));
      depth =
          tf.math.mul(
              tf.dtypes.cast(units, TFloat32.class), float32(byKey, FeatureKeys.DEPTH_SCALE));
    }
    Operand<TBool> relative = tf.math.notEqual(depthType, tf.constant(DepthType.METRIC.code()));
    Operand<TBool> valid =
        tf.math.logicalAnd(
            tf.math.isFinite(depth),
            tf.math.logicalOr(relative, tf.math.greater(depth, tf.constant(0f))));
    Operand<TFloat32> cleaned = tf.select(valid, depth, tf.zerosLike(depth));
    return tf.concat(
        List.of(cleaned, tf.dtypes.cast(valid, TFloat32.class)), tf.constant(2));
  }

  private static Operand<?> emptyOf(Ops tf, Class<? extends TType> type) {
    if (type == TString.class) {
      return tf.constant(
          StandardCharsets.UTF_8, Shape.of(0), DataBuffers.ofObjects(String.class, 0));
    }
    if (type == TInt64.class) {
      return tf.constant(new long[0]);
    }
    return tf.constant(new float[0]);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TString> string(java.util.Map<String, Operand<?>> m, String key) {
    return (Operand<TString>) m.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TInt64> int64(java.util.Map<String, Operand<?>> m, String key) {
    return (Operand<TInt64>) m.get(key);
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> float32(java.util.Map<String, Operand<?>> m, String key) {
    return (Operand<TFloat32>) m.get(key);
  }
}
