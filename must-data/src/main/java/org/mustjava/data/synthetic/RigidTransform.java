package org.mustjava.data.synthetic;

/**
 * A rotation followed by a translation (no scaling), mapping an object's local frame to the world.
 * Because it preserves lengths, a ray parameter {@code t} is the same in both frames.
 */
public final class RigidTransform {

  /** Row-major 3x3 rotation: columns are the local axes expressed in world coordinates. */
  private final double[] r;
  private final Vec3 translation;

  private RigidTransform(double[] r, Vec3 translation) {
    this.r = r;
    this.translation = translation;
  }

  public static RigidTransform identity() {
    return new RigidTransform(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Vec3.ZERO);
  }

  /** Translation only. */
  public static RigidTransform translation(Vec3 t) {
    return identity().withTranslation(t);
  }

  /** Rotation by {@code angle} radians about the world x axis (counter-clockwise seen from +x). */
  public static RigidTransform rotationX(double angle) {
    double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
    return new RigidTransform(new double[] {1, 0, 0, 0, c, -s, 0, s, c}, Vec3.ZERO);
  }

  /** Rotation by {@code angle} radians about the world y (up) axis. */
  public static RigidTransform rotationY(double angle) {
    double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
    return new RigidTransform(new double[] {c, 0, s, 0, 1, 0, -s, 0, c}, Vec3.ZERO);
  }

  /** Rotation by {@code angle} radians about the world z axis. */
  public static RigidTransform rotationZ(double angle) {
    double c = StrictMath.cos(angle), s = StrictMath.sin(angle);
    return new RigidTransform(new double[] {c, -s, 0, s, c, 0, 0, 0, 1}, Vec3.ZERO);
  }

  /** {@code outer ∘ this}: apply this transform first, then {@code outer}. */
  public RigidTransform then(RigidTransform outer) {
    double[] a = outer.r;
    double[] m = new double[9];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        m[i * 3 + j] = a[i * 3] * r[j] + a[i * 3 + 1] * r[3 + j] + a[i * 3 + 2] * r[6 + j];
      }
    }
    return new RigidTransform(m, outer.rotate(translation).plus(outer.translation));
  }

  /** The same rotation with a different translation. */
  public RigidTransform withTranslation(Vec3 t) {
    return new RigidTransform(r, t);
  }

  public Vec3 translation() {
    return translation;
  }

  /** World direction of a local direction. */
  public Vec3 rotate(Vec3 d) {
    return new Vec3(
        r[0] * d.x() + r[1] * d.y() + r[2] * d.z(),
        r[3] * d.x() + r[4] * d.y() + r[5] * d.z(),
        r[6] * d.x() + r[7] * d.y() + r[8] * d.z());
  }

  /** Local direction of a world direction (the inverse rotation is the transpose). */
  public Vec3 inverseRotate(Vec3 d) {
    return new Vec3(
        r[0] * d.x() + r[3] * d.y() + r[6] * d.z(),
        r[1] * d.x() + r[4] * d.y() + r[7] * d.z(),
        r[2] * d.x() + r[5] * d.y() + r[8] * d.z());
  }

  /** World position of a local point. */
  public Vec3 toWorld(Vec3 p) {
    return rotate(p).plus(translation);
  }

  /** Local position of a world point. */
  public Vec3 toLocal(Vec3 p) {
    return inverseRotate(p.minus(translation));
  }
}
