package org.mustjava.data.pipeline;

import java.util.Locale;

/** The MuST tasks whose labels an input pipeline can carry. */
public enum Task {
  CLASSIFICATION,
  DETECTION,
  SEGMENTATION,
  DEPTH,
  NORMALS;

  /** Parses a config name such as {@code "detection"} (case-insensitive). */
  public static Task parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown task '" + name + "', expected one of classification, detection, "
              + "segmentation, depth, normals");
    }
  }

  /** The config name, e.g. {@code "detection"}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
