package org.mustjava.models.metrics.detection;

import java.util.Objects;
import org.mustjava.data.example.Box;

/** One detection: a box with a class and a confidence score. */
public record ScoredDetection(String imageId, int classId, double score, Box box) {
  public ScoredDetection {
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(box, "box");
    if (Double.isNaN(score)) throw new IllegalArgumentException("detection score is NaN (image " + imageId + ")");
  }
}
