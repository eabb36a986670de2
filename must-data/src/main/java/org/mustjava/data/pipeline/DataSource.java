package org.mustjava.data.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;

/**
 * A further set of TFRecord files a training {@link InputPipeline} mixes into its stream
 * ({@code Pipeline.mixed_in}), with the labels its records carry: the "MuST + supervised labels"
 * variant mixes the pseudo-labelled records (the pipeline's own {@code files}) with real labelled
 * data sets that carry labels for some tasks only. The pipeline's tasks this source has no label
 * for get the "no label" values of {@link InputBatch} (class -1 / zero probabilities, no boxes and
 * {@code detection_labelled} 0, segmentation all 255, depth and normals all invalid), so each
 * head's loss counts only the examples that carry its label.
 *
 * @param files TFRecord patterns (paths, globs, {@code PREFIX@N}, comma lists)
 * @param labels the tasks whose labels every record carries; each must be one of the pipeline's
 * @param softLabels classification labels are {@code image/class/probabilities}, not a hard label
 * @param depthFormat how the records store depth ({@code raw_float32} or {@code png16})
 */
public record DataSource(List<String> files, Set<LabelType> labels, boolean softLabels, String depthFormat) {
  public DataSource {
    if (files.isEmpty()) {
      throw new IllegalArgumentException("DataSource.files is empty");
    }
    files = List.copyOf(files);
    labels = java.util.Collections.unmodifiableSet(LabelTypes.ordered(labels));
  }

  /**
   * The config entry point, e.g. {@code imagenet/DataSource.files = ['/data/imagenet/train-*']},
   * {@code imagenet/DataSource.labels = ['classification']}.
   */
  @Configurable("DataSource")
  public static DataSource configure(
      List<String> files,
      List<String> labels,
      @Default("False") boolean softLabels,
      @Default("'raw_float32'") String depthFormat) {
    return new DataSource(files, LabelTypes.parseAll(labels), softLabels, depthFormat);
  }

  /** This source with relative file patterns resolved against {@code dir}. */
  public DataSource resolvedAgainst(Path dir) {
    List<String> resolved = new ArrayList<>();
    for (String f : files) {
      resolved.add(Path.of(f).isAbsolute() ? f : dir.resolve(f).toString());
    }
    return new DataSource(resolved, labels, softLabels, depthFormat);
  }
}
