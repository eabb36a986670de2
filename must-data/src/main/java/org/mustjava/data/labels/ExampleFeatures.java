package org.mustjava.data.labels;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.io.ParseSingleExample;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The {@code tf.train.Example} features one record is parsed for, in two phases: label types
 * (and the image decoder) {@linkplain #dense request} the features they read, then {@link #parse}
 * builds one {@code ParseSingleExample} op and {@link #get} returns each feature's tensor. A dense
 * feature without a default is required: a record without it fails with TensorFlow's "Feature ...
 * is required but could not be found" naming the key.
 */
public final class ExampleFeatures {
  private record Dense(String key, Class<? extends TType> type, Shape shape, Operand<?> dflt) {}

  private record Sparse(String key, Class<? extends TType> type) {}

  private final List<Dense> dense = new ArrayList<>();
  private final List<Sparse> sparse = new ArrayList<>();
  private final Map<String, Operand<?>> parsed = new HashMap<>();

  /** Requests a dense feature; {@code dflt} {@code null} makes it required. */
  public void dense(String key, Class<? extends TType> type, Shape shape, Operand<?> dflt) {
    checkRequesting(key);
    dense.add(new Dense(key, type, shape, dflt));
  }

  /** Requests a variable-length feature (a 1-D list, empty when absent). */
  public void sparse(String key, Class<? extends TType> type) {
    checkRequesting(key);
    sparse.add(new Sparse(key, type));
  }

  private void checkRequesting(String key) {
    if (!parsed.isEmpty()) {
      throw new IllegalStateException("feature '" + key + "' requested after parsing");
    }
  }

  /** Parses {@code serialized} for every requested feature. */
  public void parse(Ops tf, Operand<TString> serialized) {
    List<Operand<?>> defaults = new ArrayList<>();
    for (Dense d : dense) {
      defaults.add(d.dflt() != null ? d.dflt() : emptyOf(tf, d.type()));
    }
    ParseSingleExample op =
        tf.io.parseSingleExample(
            serialized,
            defaults,
            (long) sparse.size(),
            sparse.stream().map(Sparse::key).toList(),
            dense.stream().map(Dense::key).toList(),
            sparse.stream().<Class<? extends TType>>map(Sparse::type).toList(),
            dense.stream().map(Dense::shape).toList());
    for (int i = 0; i < dense.size(); i++) {
      parsed.put(dense.get(i).key(), (Operand<?>) op.denseValues().get(i));
    }
    for (int i = 0; i < sparse.size(); i++) {
      parsed.put(sparse.get(i).key(), (Operand<?>) op.sparseValues().get(i));
    }
  }

  /** The parsed tensor of feature {@code key} (dense: its shape; sparse: the values, 1-D). */
  @SuppressWarnings("unchecked")
  public <T extends TType> Operand<T> get(String key) {
    Operand<?> t = parsed.get(key);
    if (t == null) {
      throw new IllegalStateException("feature '" + key + "' was not requested or not parsed yet");
    }
    return (Operand<T>) t;
  }

  private static Operand<?> emptyOf(Ops tf, Class<? extends TType> type) {
    if (type == TString.class) {
      return tf.constant(StandardCharsets.UTF_8, Shape.of(0), DataBuffers.ofObjects(String.class, 0));
    }
    if (type == TInt64.class) {
      return tf.constant(new long[0]);
    }
    if (type == TFloat32.class) {
      return tf.constant(new float[0]);
    }
    throw new IllegalArgumentException("no empty default for " + type.getSimpleName());
  }
}
