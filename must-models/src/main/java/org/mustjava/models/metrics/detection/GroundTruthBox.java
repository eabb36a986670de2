package org.mustjava.models.metrics.detection;

import java.util.Objects;
import org.mustjava.data.example.Box;

/**
 * One annotated object.
 *
 * @param imageId the image it belongs to
 * @param classId its class (any id scheme, as long as detections use the same)
 * @param box its box
 * @param difficult PASCAL VOC's flag: neither a hit nor a miss for VOC AP
 * @param crowd COCO's {@code iscrowd}: a region that may absorb many detections, never a miss
 * @param area COCO's annotation area, used only for the small/medium/large split; NaN means the
 *     box area
 */
public record GroundTruthBox(String imageId, int classId, Box box, boolean difficult, boolean crowd, double area) {
  public GroundTruthBox {
    Objects.requireNonNull(imageId, "imageId");
    Objects.requireNonNull(box, "box");
  }

  /** A plain object (not difficult, not crowd, area = box area). */
  public static GroundTruthBox of(String imageId, int classId, Box box) {
    return new GroundTruthBox(imageId, classId, box, false, false, Double.NaN);
  }

  /** The area used for COCO's area ranges. */
  public double effectiveArea() {
    return Double.isNaN(area) ? box.area() : area;
  }
}
