package org.mustjava.data.synthetic;

/**
 * A pinhole camera in a y-up world. Yaw 0 and pitch 0 look along world {@code -z}; negative pitch
 * looks down. Labels use the OpenCV camera frame of {@code docs/tfrecord-features.md}: x right,
 * y down, z forward into the scene (so surfaces facing the camera have normal z < 0, and a
 * horizontal image flip negates x).
 *
 * <p>Pixel {@code (row, col)} covers {@code [row, row + 1) x [col, col + 1)}; row 0 is the top
 * of the image. The field of view is vertical; the horizontal one follows from the aspect ratio.
 */
public final class Camera {

  private final Vec3 position;
  private final Vec3 forward;
  private final Vec3 right;
  private final Vec3 up;
  private final int width;
  private final int height;
  private final double tanHalfFovY;
  private final double fovYDegrees;

  /**
   * @param position camera centre (metres)
   * @param yawDegrees rotation about world y; positive turns the view to the left (towards -x)
   * @param pitchDegrees elevation of the optical axis; negative looks down, |pitch| < 90
   * @param fovYDegrees vertical field of view, in (0, 180)
   */
  public Camera(Vec3 position, double yawDegrees, double pitchDegrees, double fovYDegrees,
      int width, int height) {
    if (!(fovYDegrees > 0 && fovYDegrees < 180)) {
      throw new IllegalArgumentException("field of view must be in (0, 180) degrees: " + fovYDegrees);
    }
    if (!(Math.abs(pitchDegrees) < 90)) {
      throw new IllegalArgumentException("|pitch| must be < 90 degrees: " + pitchDegrees);
    }
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    double yaw = StrictMath.toRadians(yawDegrees), pitch = StrictMath.toRadians(pitchDegrees);
    this.position = position;
    this.forward = new Vec3(-StrictMath.sin(yaw) * StrictMath.cos(pitch), StrictMath.sin(pitch),
        -StrictMath.cos(yaw) * StrictMath.cos(pitch));
    this.right = forward.cross(Vec3.UNIT_Y).normalized();
    this.up = right.cross(forward);
    this.width = width;
    this.height = height;
    this.fovYDegrees = fovYDegrees;
    this.tanHalfFovY = StrictMath.tan(StrictMath.toRadians(fovYDegrees) / 2);
  }

  public Vec3 position() {
    return position;
  }

  /** Unit optical axis (camera-frame +z). */
  public Vec3 forward() {
    return forward;
  }

  /** Unit camera-frame x axis (image right). */
  public Vec3 right() {
    return right;
  }

  /** Unit image-up direction (camera-frame -y). */
  public Vec3 up() {
    return up;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public double fovYDegrees() {
    return fovYDegrees;
  }

  /** Half the horizontal field of view, in radians. */
  public double halfFovXRadians() {
    return StrictMath.atan(tanHalfFovY * width / height);
  }

  /** Unit world direction of the ray through image point {@code (y, x)} in pixel units. */
  public Vec3 rayDirection(double y, double x) {
    double sx = (2 * x / width - 1) * tanHalfFovY * width / height;
    double sy = (1 - 2 * y / height) * tanHalfFovY;
    return new Vec3(
        forward.x() + sx * right.x() + sy * up.x(),
        forward.y() + sx * right.y() + sy * up.y(),
        forward.z() + sx * right.z() + sy * up.z()).normalized();
  }

  /** A world direction in the OpenCV camera frame (x right, y down, z forward). */
  public Vec3 toCameraFrame(Vec3 worldDirection) {
    return new Vec3(worldDirection.dot(right), -worldDirection.dot(up), worldDirection.dot(forward));
  }

  /** Distance of a world point in front of the camera along the optical axis (z-depth). */
  public double zDepth(Vec3 worldPoint) {
    return worldPoint.minus(position).dot(forward);
  }

  /**
   * Image position {@code {y, x}} (pixel units, may lie outside the image) of a world point, or
   * null if the point is not in front of the camera.
   */
  public double[] project(Vec3 worldPoint) {
    Vec3 v = worldPoint.minus(position);
    double z = v.dot(forward);
    if (z <= 1e-9) {
      return null;
    }
    double sx = v.dot(right) / z / (tanHalfFovY * width / height);
    double sy = v.dot(up) / z / tanHalfFovY;
    return new double[] {(1 - sy) * height / 2, (sx + 1) * width / 2};
  }
}
