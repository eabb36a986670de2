package org.mustjava.experiments.pseudolabel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy per-class non-maximum suppression over boxes in original-image pixels: by descending
 * score (ties: the earlier box first, so the result is deterministic), a box is dropped if it
 * overlaps a kept box of its class with IoU above the threshold; at most {@code maxBoxes} are kept.
 */
final class PerClassNms {
  private PerClassNms() {}

  /** A candidate: box (ymin, xmin, ymax, xmax) in pixels, class, score, original index. */
  record Candidate(float[] box, int cls, float score, int index) {}

  /** The kept candidates in descending score order. */
  static List<Candidate> apply(List<Candidate> candidates, float iouThreshold, int maxBoxes) {
    List<Candidate> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble((Candidate c) -> -c.score()).thenComparingInt(Candidate::index));
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : sorted) {
      if (kept.size() == maxBoxes) break;
      boolean suppressed = false;
      for (Candidate k : kept) {
        if (k.cls() == c.cls() && iou(k.box(), c.box()) > iouThreshold) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) kept.add(c);
    }
    return kept;
  }

  static float iou(float[] a, float[] b) {
    float ih = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
    float iw = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    if (ih <= 0 || iw <= 0) return 0f;
    float inter = ih * iw;
    float union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return union > 0 ? inter / union : 0f;
  }
}
