package org.mustjava.data.example;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A depth label as stored in a record: either raw little-endian float32 (HxW, any precision,
 * used for pseudo-labels and synthetic data) or a 16-bit PNG whose unit is {@link #scale()} metres
 * (compact, used for sensor data such as NYU, value 0 = no measurement).
 *
 * <p>{@link #relative()} depth (a teacher trained on mixed data sets, for instance) is defined only
 * up to an unknown scale and shift; losses on it must be scale/shift invariant. {@link #type()}
 * tells relative depth from relative inverse depth (what MiDaS-style teachers predict). Pixels
 * without a value are 0 (metric) or NaN (any type) in the decoded floats.
 */
public final class DepthMap {
  /** How {@link #data()} is encoded. */
  public enum Encoding {
    RAW_FLOAT32(FeatureKeys.FORMAT_RAW_FLOAT32),
    PNG16(FeatureKeys.FORMAT_PNG16);

    private final String featureValue;

    Encoding(String featureValue) {
      this.featureValue = featureValue;
    }

    /** The value of {@code image/depth/format}. */
    public String featureValue() {
      return featureValue;
    }

    /** The encoding of an {@code image/depth/format} value. */
    public static Encoding fromFeatureValue(String v) {
      for (Encoding e : values()) {
        if (e.featureValue.equals(v)) {
          return e;
        }
      }
      throw new InvalidExampleException(FeatureKeys.DEPTH_FORMAT + " is '" + v + "', expected '"
          + FeatureKeys.FORMAT_RAW_FLOAT32 + "' or '" + FeatureKeys.FORMAT_PNG16 + "'");
    }
  }

  private final Encoding encoding;
  private final byte[] data;
  private final float scale;
  private final DepthType type;

  private DepthMap(Encoding encoding, byte[] data, float scale, DepthType type) {
    if (encoding == Encoding.PNG16 && !(scale > 0f && Float.isFinite(scale))) {
      throw new IllegalArgumentException("png16 depth needs a positive scale, got " + scale);
    }
    this.encoding = encoding;
    this.data = data;
    this.scale = scale;
    this.type = type;
  }

  /** Raw float32 depth, row-major HxW. */
  public static DepthMap rawFloat32(float[] values, boolean relative) {
    return rawFloat32(values, relative ? DepthType.RELATIVE : DepthType.METRIC);
  }

  /** Raw float32 depth of any {@link DepthType}, row-major HxW. */
  public static DepthMap rawFloat32(float[] values, DepthType type) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return new DepthMap(Encoding.RAW_FLOAT32, b.array(), 1f, type);
  }

  /** 16-bit PNG depth: {@code units[i] * metresPerUnit} metres, 0 = no measurement. */
  public static DepthMap png16(char[] units, int height, int width, float metresPerUnit) {
    return new DepthMap(Encoding.PNG16, ImageCodecs.encodeGray16Png(units, height, width), metresPerUnit, DepthType.METRIC);
  }

  /** Already encoded data as found in a record. */
  public static DepthMap encoded(Encoding encoding, byte[] data, float scale, boolean relative) {
    return encoded(encoding, data, scale, relative ? DepthType.RELATIVE : DepthType.METRIC);
  }

  /** Already encoded data of any {@link DepthType}. */
  public static DepthMap encoded(Encoding encoding, byte[] data, float scale, DepthType type) {
    return new DepthMap(encoding, data.clone(), scale, type);
  }

  public Encoding encoding() {
    return encoding;
  }

  /** The bytes of {@code image/depth/encoded}. */
  public byte[] data() {
    return data.clone();
  }

  /** Metres per PNG unit (1 for raw float32). */
  public float scale() {
    return scale;
  }

  /** True for relative and inverse relative depth (both defined up to scale and shift). */
  public boolean relative() {
    return type.isRelative();
  }

  public DepthType type() {
    return type;
  }

  /**
   * The depth values, HxW row-major, checked against the expected size. For PNG16, each unit is
   * multiplied by the scale (0 stays 0 = no measurement).
   */
  public float[] toFloats(int height, int width) {
    int n = height * width;
    if (encoding == Encoding.RAW_FLOAT32) {
      if (data.length != 4L * n) {
        throw new InvalidExampleException(FeatureKeys.DEPTH_ENCODED + " has " + data.length
            + " bytes, expected 4*" + height + "*" + width + " = " + 4L * n + " for raw float32");
      }
      float[] out = new float[n];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }
    int[] hw = new int[2];
    char[] units;
    try {
      units = ImageCodecs.decodeGray16(data, hw);
    } catch (IllegalArgumentException e) {
      throw new InvalidExampleException(FeatureKeys.DEPTH_ENCODED + ": " + e.getMessage(), e);
    }
    if (hw[0] != height || hw[1] != width) {
      throw new InvalidExampleException(FeatureKeys.DEPTH_ENCODED + " is " + hw[0] + "x" + hw[1]
          + ", image is " + height + "x" + width);
    }
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = units[i] * scale;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DepthMap d && d.encoding == encoding && Arrays.equals(d.data, data)
        && Float.compare(d.scale, scale) == 0 && d.type == type;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data) * 31 + encoding.hashCode();
  }

  @Override
  public String toString() {
    return "DepthMap[" + encoding.featureValue() + ", " + data.length + " bytes"
        + (encoding == Encoding.PNG16 ? ", scale " + scale : "") + (type.isRelative() ? ", " + type.featureValue() : "") + "]";
  }
}
