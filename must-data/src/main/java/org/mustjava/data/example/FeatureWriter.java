package org.mustjava.data.example;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;

/**
 * Writes the features of one {@code tf.train.Example}, in call order (which is the order of the
 * serialized record: keep it, records are compared byte for byte).
 */
public final class FeatureWriter {
  private final Features.Builder f;

  FeatureWriter(Features.Builder features) {
    this.f = features;
  }

  public void bytes(String key, byte[] v) {
    f.putFeature(key, Feature.newBuilder().setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(v))).build());
  }

  /** One UTF-8 string. */
  public void string(String key, String v) {
    bytes(key, v.getBytes(StandardCharsets.UTF_8));
  }

  public void int64s(String key, long... v) {
    Int64List.Builder l = Int64List.newBuilder();
    for (long x : v) {
      l.addValue(x);
    }
    f.putFeature(key, Feature.newBuilder().setInt64List(l).build());
  }

  public void int64s(String key, int[] v) {
    long[] wide = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      wide[i] = v[i];
    }
    int64s(key, wide);
  }

  /** Booleans as int64 0/1 flags. */
  public void flags(String key, boolean[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] ? 1 : 0;
    }
    int64s(key, out);
  }

  public void floats(String key, float... v) {
    FloatList.Builder l = FloatList.newBuilder();
    for (float x : v) {
      l.addValue(x);
    }
    f.putFeature(key, Feature.newBuilder().setFloatList(l).build());
  }
}
