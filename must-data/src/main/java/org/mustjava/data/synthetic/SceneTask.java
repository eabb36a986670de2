package org.mustjava.data.synthetic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The labels a synthetic example can carry; which ones are written is chosen per data set. */
public enum SceneTask {
  /** {@code image/class/label}: the image class. */
  CLASSIFICATION,
  /** {@code image/object/bbox/*} and {@code image/object/class/label}. */
  DETECTION,
  /** {@code image/segmentation/class/encoded}. */
  SEGMENTATION,
  /** {@code image/depth/*}: metric z-depth. */
  DEPTH,
  /** {@code image/normals/*}. */
  NORMALS;

  /** The lower-case name used on command lines and in configs. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a task list: {@code "all"}, {@code "none"} (unlabelled images), or names separated by
   * commas, e.g. {@code "classification,depth"}.
   */
  public static Set<SceneTask> parseList(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("all")) {
      return EnumSet.allOf(SceneTask.class);
    }
    if (s.equals("none") || s.isEmpty()) {
      return EnumSet.noneOf(SceneTask.class);
    }
    List<String> parts = new ArrayList<>();
    for (String p : s.split(",")) {
      parts.add(p.trim());
    }
    return parse(parts);
  }

  /** Parses task names; the error lists the valid ones. */
  public static Set<SceneTask> parse(List<String> names) {
    Set<SceneTask> tasks = EnumSet.noneOf(SceneTask.class);
    for (String name : names) {
      SceneTask found = null;
      for (SceneTask t : values()) {
        if (t.name().equalsIgnoreCase(name.trim())) {
          found = t;
        }
      }
      if (found == null) {
        throw new IllegalArgumentException("unknown label '" + name
            + "' (expected all, none, or a comma list of classification, detection, segmentation, depth, normals)");
      }
      tasks.add(found);
    }
    return tasks;
  }
}
