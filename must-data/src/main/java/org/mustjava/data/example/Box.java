package org.mustjava.data.example;

/**
 * One axis-aligned 2D box (ymin, xmin, ymax, xmax) in any consistent coordinates (pixels or
 * normalised): a detection label (records hold many as {@link ObjectBoxes}), a synthetic instance's
 * box, a ground-truth or detected box in the metrics. The renderer's 3D solid is {@code Cuboid}.
 */
public record Box(double ymin, double xmin, double ymax, double xmax) {
  public Box {
    if (!(Double.isFinite(ymin) && Double.isFinite(xmin) && Double.isFinite(ymax) && Double.isFinite(xmax))) {
      throw new IllegalArgumentException("box coordinates must be finite: " + ymin + ", " + xmin + ", " + ymax + ", " + xmax);
    }
  }

  /** From {@code (ymin, xmin, ymax, xmax)}, the records' order. */
  public static Box ofYxyx(float[] yxyx) {
    if (yxyx.length != 4) {
      throw new IllegalArgumentException("a box has 4 coordinates (ymin, xmin, ymax, xmax), got " + yxyx.length);
    }
    return new Box(yxyx[0], yxyx[1], yxyx[2], yxyx[3]);
  }

  /** {@code (ymin, xmin, ymax, xmax)} as float32, the records' type (exact for a box made of floats). */
  public float[] toYxyx() {
    return new float[] {(float) ymin, (float) xmin, (float) ymax, (float) xmax};
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
