package org.mustjava.data.example;

/**
 * What a depth label's values mean ({@code image/depth/type}), and the int32 code the input
 * pipeline puts in a batch's {@code depth_type} so that losses can treat each example by its kind.
 */
public enum DepthType {
  /** Metres; 0 = no measurement. */
  METRIC(FeatureKeys.DEPTH_METRIC, 0),
  /** Depth up to an unknown scale and shift (a teacher trained on mixed data sets). */
  RELATIVE(FeatureKeys.DEPTH_RELATIVE, 1),
  /** Inverse depth (disparity) up to an unknown scale and shift: what MiDaS outputs. */
  INVERSE_RELATIVE(FeatureKeys.DEPTH_INVERSE_RELATIVE, 2);

  private final String featureValue;
  private final int code;

  DepthType(String featureValue, int code) {
    this.featureValue = featureValue;
    this.code = code;
  }

  /** The value of {@code image/depth/type}. */
  public String featureValue() {
    return featureValue;
  }

  /** The value in a batch's {@code depth_type} tensor. */
  public int code() {
    return code;
  }

  /** Whether only finiteness makes a pixel valid (relative kinds have no "0 = missing"). */
  public boolean isRelative() {
    return this != METRIC;
  }

  /** The type named by an {@code image/depth/type} value. */
  public static DepthType fromFeatureValue(String v) {
    for (DepthType t : values()) {
      if (t.featureValue.equals(v)) {
        return t;
      }
    }
    throw new InvalidExampleException(FeatureKeys.DEPTH_TYPE + " is '" + v + "', expected one of '"
        + FeatureKeys.DEPTH_METRIC + "', '" + FeatureKeys.DEPTH_RELATIVE + "', '"
        + FeatureKeys.DEPTH_INVERSE_RELATIVE + "'");
  }
}
