package org.mustjava.data.labels;

import org.mustjava.data.example.FeatureKeys;

/**
 * The pipeline settings label types read when they decode and batch (one record per data source:
 * a mixed-in source has its own {@code softLabels} and {@code depthFormat}).
 *
 * @param numClasses classes C of {@code class_probs}; 0 = hard labels only
 * @param softLabels classification labels are {@code image/class/probabilities}
 * @param depthFormat {@code raw_float32} or {@code png16}
 * @param maxBoxes box rows per example
 * @param imageSize output side S of the batch's images and label maps
 */
public record LabelOptions(int numClasses, boolean softLabels, String depthFormat, int maxBoxes, int imageSize) {
  public LabelOptions {
    if (softLabels && numClasses < 1) {
      throw new IllegalArgumentException("soft classification labels need numClasses >= 1");
    }
    if (!depthFormat.equals(FeatureKeys.FORMAT_RAW_FLOAT32) && !depthFormat.equals(FeatureKeys.FORMAT_PNG16)) {
      throw new IllegalArgumentException(
          "depthFormat must be '" + FeatureKeys.FORMAT_RAW_FLOAT32 + "' or '"
              + FeatureKeys.FORMAT_PNG16 + "', got '" + depthFormat + "'");
    }
  }

  /** These options with a data source's own label encoding. */
  public LabelOptions forSource(boolean sourceSoftLabels, String sourceDepthFormat) {
    return new LabelOptions(numClasses, sourceSoftLabels, sourceDepthFormat, maxBoxes, imageSize);
  }
}
