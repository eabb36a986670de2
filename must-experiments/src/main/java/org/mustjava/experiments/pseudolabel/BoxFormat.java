package org.mustjava.experiments.pseudolabel;

import java.util.Locale;

/** How a detection teacher's {@code boxes} output is laid out. */
public enum BoxFormat {
  /** (ymin, xmin, ymax, xmax) divided by the input height/width (TF Object Detection API). */
  YXYX_NORMALIZED,
  /** (xmin, ymin, xmax, ymax) divided by the input width/height. */
  XYXY_NORMALIZED,
  /** (ymin, xmin, ymax, xmax) in pixels of the teacher's input image. */
  YXYX_PIXELS,
  /** (xmin, ymin, xmax, ymax) in pixels of the teacher's input image. */
  XYXY_PIXELS;

  public static BoxFormat parse(String s) {
    for (BoxFormat f : values()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(s)) return f;
    }
    throw new IllegalArgumentException("SavedModelTeacher.box_format must be one of 'yxyx_normalized', "
        + "'xyxy_normalized', 'yxyx_pixels', 'xyxy_pixels'; got '" + s + "'");
  }

  /**
   * One box of this format as (ymin, xmin, ymax, xmax) normalised to the {@code size x size}
   * teacher input.
   */
  float[] toNormalizedYxyx(float a, float b, float c, float d, int size) {
    boolean yx = this == YXYX_NORMALIZED || this == YXYX_PIXELS;
    float div = this == YXYX_PIXELS || this == XYXY_PIXELS ? size : 1f;
    return yx ? new float[] {a / div, b / div, c / div, d / div} : new float[] {b / div, a / div, d / div, c / div};
  }
}
