package org.mustjava.data.labels;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one list of built-in label types. Their order is the order of their features in the parse,
 * of their fields in a sample and of their tensors in a batch. A new built-in type is one {@link
 * LabelType} implementation and one entry here.
 */
public final class LabelTypes {
  private LabelTypes() {}

  public static final LabelType CLASSIFICATION = ClassificationLabels.INSTANCE;
  public static final LabelType DETECTION = DetectionLabels.INSTANCE;
  public static final LabelType SEGMENTATION = SegmentationLabels.INSTANCE;
  public static final LabelType DEPTH = DepthLabels.INSTANCE;
  public static final LabelType NORMALS = NormalsLabels.INSTANCE;

  private static final List<LabelType> BUILT_IN = List.of(CLASSIFICATION, DETECTION, SEGMENTATION, DEPTH, NORMALS);

  /** Every built-in label type, in registry order. */
  public static List<LabelType> builtIn() {
    return BUILT_IN;
  }

  /** Every built-in label type as a set (iteration in registry order). */
  public static Set<LabelType> all() {
    return new LinkedHashSet<>(BUILT_IN);
  }

  /** The label type of a config name such as {@code "detection"} (case-insensitive). */
  public static LabelType parse(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (LabelType t : BUILT_IN) {
      if (t.name().equals(key)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown task '" + name + "', expected one of "
        + BUILT_IN.stream().map(LabelType::name).collect(Collectors.joining(", ")));
  }

  /**
   * Parses a command-line list: {@code "all"}, {@code "none"} (or empty: unlabelled images), or
   * names separated by commas, e.g. {@code "classification,depth"}.
   */
  public static Set<LabelType> parseList(String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (s.equals("all")) {
      return all();
    }
    if (s.equals("none") || s.isEmpty()) {
      return new LinkedHashSet<>();
    }
    Set<LabelType> out = new LinkedHashSet<>();
    for (String p : s.split(",")) {
      try {
        out.add(parse(p));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown label '" + p.trim() + "' (expected all, none, or a comma list of "
            + BUILT_IN.stream().map(LabelType::name).collect(Collectors.joining(", ")) + ")");
      }
    }
    return ordered(out);
  }

  /** The label types of config names. */
  public static Set<LabelType> parseAll(Collection<String> names) {
    Set<LabelType> out = new LinkedHashSet<>();
    names.forEach(n -> out.add(parse(n)));
    return ordered(out);
  }

  /** {@code types} in registry order (built-in first, then others in their given order). */
  public static Set<LabelType> ordered(Collection<? extends LabelType> types) {
    Set<LabelType> out = new LinkedHashSet<>();
    for (LabelType t : BUILT_IN) {
      if (types.contains(t)) {
        out.add(t);
      }
    }
    List<LabelType> others = new ArrayList<>(types);
    others.removeAll(BUILT_IN);
    out.addAll(others);
    return out;
  }
}
