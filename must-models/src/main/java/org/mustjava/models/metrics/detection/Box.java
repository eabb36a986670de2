package org.mustjava.models.metrics.detection;

/**
 * An axis-aligned box (ymin, xmin, ymax, xmax) in any consistent coordinates (pixels or normalised).
 */
public record Box(double ymin, double xmin, double ymax, double xmax) {
  public Box {
    if (!(Double.isFinite(ymin) && Double.isFinite(xmin) && Double.isFinite(ymax) && Double.isFinite(xmax))) {
      throw new IllegalArgumentException("box coordinates must be finite: " + ymin + ", " + xmin + ", " + ymax + ", " + xmax);
    }
  }

  /** From COCO's (x, y, width, height). */
  public static Box fromXywh(double x, double y, double width, double height) {
    return new Box(y, x, y + height, x + width);
  }

  public double height() {
    return Math.max(0, ymax - ymin);
  }

  public double width() {
    return Math.max(0, xmax - xmin);
  }

  public double area() {
    return height() * width();
  }

  /** Area of the intersection with {@code other}. */
  public double intersection(Box other) {
    double h = Math.min(ymax, other.ymax) - Math.max(ymin, other.ymin);
    double w = Math.min(xmax, other.xmax) - Math.max(xmin, other.xmin);
    return h <= 0 || w <= 0 ? 0 : h * w;
  }

  /** Intersection over union (0 when both are empty). */
  public double iou(Box other) {
    double inter = intersection(other);
    double union = area() + other.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /**
   * IoU with the PASCAL VOC devkit's inclusive-pixel convention: a box spans
   * {@code xmax - xmin + 1} pixels (integer pixel coordinates).
   */
  public double iouInclusivePixels(Box other) {
    double iw = Math.max(Math.min(xmax, other.xmax) - Math.max(xmin, other.xmin) + 1, 0);
    double ih = Math.max(Math.min(ymax, other.ymax) - Math.max(ymin, other.ymin) + 1, 0);
    double inter = iw * ih;
    double union = (xmax - xmin + 1) * (ymax - ymin + 1) + (other.xmax - other.xmin + 1) * (other.ymax - other.ymin + 1)
        - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
