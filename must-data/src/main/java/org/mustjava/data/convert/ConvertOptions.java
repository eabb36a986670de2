package org.mustjava.data.convert;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code tools/convert-dataset}: {@code --dataset NAME --input DIR --output PREFIX
 * [--shards N] [--split S]} plus converter options ({@code --labels FILE}, {@code --image_set S},
 * {@code --annotations FILE}, {@code --images DIR}, {@code --panoptic_masks DIR},
 * {@code --normals DIR}, {@code --splits FILE}, {@code --label_map FILE}). Both {@code --flag value} and {@code --flag=value} work.
 */
public record ConvertOptions(
    String dataset, Path input, Path output, int shards, String split, Map<String, String> converterOptions) {

  /** Converter options and the datasets that read them. */
  static final Map<String, String> CONVERTER_OPTIONS = Map.of(
      "labels", "imagefolder, voc: class list file, one name per line",
      "image_set", "voc: Main (default) or Segmentation",
      "annotations", "coco, objects365: the annotation JSON (instances or panoptic)",
      "images", "coco, objects365: the directory that file_name values are relative to",
      "panoptic_masks", "coco: the directory of panoptic PNGs (with --annotations of a panoptic JSON)",
      "normals", "diode: root of the separately downloaded normals tree (default: next to the depth files)",
      "splits", "nyu: NYU's splits.mat (default: splits.mat next to the labeled .mat, if present)",
      "label_map", "nyu: maps NYU's 894 label indices to training classes (see docs/datasets.md)");

  private static final Set<String> MAIN = Set.of("dataset", "input", "output", "shards", "split");

  /** Thrown for a bad command line; the tool prints the message and the usage and exits 2. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public static ConvertOptions parse(List<String> args) throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "'");
      }
      String name = arg.substring(2);
      String value;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else {
        if (i + 1 >= args.size()) {
          throw new UsageException("--" + name + " needs a value");
        }
        value = args.get(++i);
      }
      if (!MAIN.contains(name) && !CONVERTER_OPTIONS.containsKey(name)) {
        throw new UsageException("unknown option --" + name);
      }
      if (values.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    for (String required : List.of("dataset", "input", "output")) {
      if (!values.containsKey(required)) {
        throw new UsageException("missing --" + required);
      }
    }
    if (!DatasetConverters.names().contains(values.get("dataset"))) {
      throw new UsageException("unknown --dataset '" + values.get("dataset") + "'; known: "
          + String.join(", ", DatasetConverters.names()));
    }
    int shards = 1;
    if (values.containsKey("shards")) {
      try {
        shards = Integer.parseInt(values.get("shards"));
      } catch (NumberFormatException e) {
        shards = 0;
      }
      if (shards < 1 || shards > 99_999) {
        throw new UsageException("--shards must be an integer in 1..99999, got '" + values.get("shards") + "'");
      }
    }
    Map<String, String> converterOptions = new LinkedHashMap<>(values);
    converterOptions.keySet().removeAll(MAIN);
    return new ConvertOptions(values.get("dataset"), Path.of(values.get("input")), Path.of(values.get("output")),
        shards, values.get("split"), converterOptions);
  }

  /** The usage text. */
  static String usage() {
    StringBuilder text = new StringBuilder(
        "usage: tools/convert-dataset --dataset NAME --input DIR --output PREFIX [--shards N] [--split S] [OPTIONS]\n"
            + "  writes PREFIX-SPLIT-00000-of-0000N TFRecord shards per split and PREFIX-labels.txt\n"
            + "  NAME: " + String.join(", ", DatasetConverters.names()) + "\n"
            + "  --shards N   shards per split (default 1)\n"
            + "  --split S    convert only split S (or name the single split of imagefolder/voc/coco)\n"
            + "converter options:\n");
    CONVERTER_OPTIONS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
        text.append(String.format("  --%-15s %s%n", e.getKey(), e.getValue())));
    text.append("layouts and label conventions: docs/datasets.md\n");
    return text.toString();
  }
}
