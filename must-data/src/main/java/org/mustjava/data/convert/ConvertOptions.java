package org.mustjava.data.convert;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of {@code tools/convert-dataset}: {@code --dataset NAME --input DIR --output PREFIX
 * [--shards N] [--split S]} plus converter options, each read by the datasets its description names.
 * Both {@code --flag value} and {@code --flag=value} work.
 */
@Parameters(separators = "=")
final class ConvertOptions {
  @Parameter(names = "--dataset", description = "The data set's layout, one of the Datasets above (required).")
  String dataset;

  @Parameter(names = "--input", description = "The data set's directory (or file) as published (required).")
  String input;

  @Parameter(names = "--output", description = "Output prefix (required): PREFIX-SPLIT-00000-of-0000N TFRecord shards per split, "
      + "and PREFIX-labels.txt.")
  String output;

  @Parameter(names = "--shards", description = "Shards per split, 1..99999.")
  int shards = 1;

  @Parameter(names = "--max_examples", description = "Keep only the first N examples of each split (default: all).")
  long maxExamples = Long.MAX_VALUE;

  @Parameter(names = "--split", description = "Convert only this split (or name the single split of imagefolder/voc/coco).")
  String split;

  // Converter options, passed to the converter by name (without the dashes).
  @Parameter(names = "--labels", description = "imagefolder, voc: class list file, one name per line.")
  String labels;

  @Parameter(names = "--image_set", description = "voc: Main (default) or Segmentation.")
  String imageSet;

  @Parameter(names = "--annotations", description = "coco, objects365: the annotation JSON (instances or panoptic).")
  String annotations;

  @Parameter(names = "--images", description = "coco, objects365: the directory that file_name values are relative to.")
  String images;

  @Parameter(names = "--panoptic_masks", description = "coco: the directory of panoptic PNGs (with --annotations of a panoptic JSON).")
  String panopticMasks;

  @Parameter(names = "--normals", description = "diode: root of the separately downloaded normals tree "
      + "(default: next to the depth files).")
  String normals;

  @Parameter(names = "--splits", description = "nyu: NYU's splits.mat (default: splits.mat next to the labeled .mat, if present).")
  String splits;

  @Parameter(names = "--label_map", description = "nyu: maps NYU's 894 label indices to training classes (see docs/datasets.md).")
  String labelMap;

  /** The converter options given, by name without the dashes. */
  Map<String, String> converterOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    putIfGiven(options, "labels", labels);
    putIfGiven(options, "image_set", imageSet);
    putIfGiven(options, "annotations", annotations);
    putIfGiven(options, "images", images);
    putIfGiven(options, "panoptic_masks", panopticMasks);
    putIfGiven(options, "normals", normals);
    putIfGiven(options, "splits", splits);
    putIfGiven(options, "label_map", labelMap);
    return options;
  }

  private static void putIfGiven(Map<String, String> options, String name, String value) {
    if (value != null) options.put(name, value);
  }

  /** What is wrong with the flags beyond their syntax, or null. */
  String problem() {
    if (dataset == null) return "missing --dataset";
    if (input == null) return "missing --input";
    if (output == null) return "missing --output";
    if (!DatasetConverters.names().contains(dataset)) {
      return "unknown --dataset '" + dataset + "'; known: " + String.join(", ", DatasetConverters.names());
    }
    if (shards < 1 || shards > 99_999) return "--shards must be an integer in 1..99999, got " + shards;
    if (maxExamples < 1) return "--max_examples must be >= 1, got " + maxExamples;
    return null;
  }
}
