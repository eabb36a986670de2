package org.mustjava.data.example;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.Feature;

/**
 * Typed access to the features of one {@code tf.train.Example}, for the Java-side record codec
 * ({@link MultiTaskExample}, each label type's {@link org.mustjava.data.labels.LabelRecordCodec}).
 * Every error names the key and the example's source id.
 */
public final class FeatureReader {
  private final Map<String, Feature> m;
  private final String id;

  FeatureReader(Map<String, Feature> features, String sourceId) {
    this.m = features;
    this.id = sourceId;
  }

  /** Whether the example has feature {@code key}. */
  public boolean has(String key) {
    return m.containsKey(key);
  }

  /** An error about feature {@code key} of this example. */
  public InvalidExampleException error(String key, String message) {
    return new InvalidExampleException("example '" + id + "': feature '" + key + "' " + message);
  }

  private Feature get(String key, Feature.KindCase kind) {
    Feature f = m.get(key);
    if (f == null) {
      throw error(key, "is missing");
    }
    if (f.getKindCase() != kind && f.getKindCase() != Feature.KindCase.KIND_NOT_SET) {
      throw error(key, "is a " + name(f.getKindCase()) + ", expected a " + name(kind));
    }
    return f;
  }

  /** The single bytes value of {@code key}. */
  public byte[] bytes(String key) {
    List<ByteString> v = get(key, Feature.KindCase.BYTES_LIST).getBytesList().getValueList();
    if (v.size() != 1) {
      throw error(key, "has " + v.size() + " values, expected 1");
    }
    return v.get(0).toByteArray();
  }

  /** The single UTF-8 string of {@code key}. */
  public String string(String key) {
    return new String(bytes(key), StandardCharsets.UTF_8);
  }

  /** The string of {@code key}, or {@code absent} when the example has no such feature. */
  public String string(String key, String absent) {
    return has(key) ? string(key) : absent;
  }

  public long[] int64s(String key) {
    return get(key, Feature.KindCase.INT64_LIST).getInt64List().getValueList().stream()
        .mapToLong(Long::longValue).toArray();
  }

  /** {@code key}'s {@code n} int64 values. */
  public long[] int64s(String key, int n) {
    return sameLength(key, int64s(key), n);
  }

  /** The single int64 value of {@code key}. */
  public long int64(String key) {
    long[] v = int64s(key);
    if (v.length != 1) {
      throw error(key, "has " + v.length + " values, expected 1");
    }
    return v[0];
  }

  public float[] floats(String key) {
    List<Float> l = get(key, Feature.KindCase.FLOAT_LIST).getFloatList().getValueList();
    float[] out = new float[l.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = l.get(i);
    }
    return out;
  }

  /** {@code key}'s {@code n} float values. */
  public float[] floats(String key, int n) {
    return sameLength(key, floats(key), n);
  }

  private <T> T sameLength(String key, T array, int n) {
    int len = java.lang.reflect.Array.getLength(array);
    if (len != n) {
      throw error(key, "has " + len + " values, expected " + n);
    }
    return array;
  }

  private static String name(Feature.KindCase k) {
    return switch (k) {
      case BYTES_LIST -> "bytes_list";
      case FLOAT_LIST -> "float_list";
      case INT64_LIST -> "int64_list";
      case KIND_NOT_SET -> "feature without values";
    };
  }
}
