package org.mustjava.data.synthetic;

/** An immutable 3-vector of doubles: points, directions, normals and linear RGB colours. */
public record Vec3(double x, double y, double z) {

  public static final Vec3 ZERO = new Vec3(0, 0, 0);
  public static final Vec3 UNIT_Y = new Vec3(0, 1, 0);

  public Vec3 plus(Vec3 o) {
    return new Vec3(x + o.x, y + o.y, z + o.z);
  }

  public Vec3 minus(Vec3 o) {
    return new Vec3(x - o.x, y - o.y, z - o.z);
  }

  public Vec3 times(double s) {
    return new Vec3(x * s, y * s, z * s);
  }

  /** Component-wise product (used for colour modulation). */
  public Vec3 times(Vec3 o) {
    return new Vec3(x * o.x, y * o.y, z * o.z);
  }

  /** {@code this + d * s}: a point along a ray. */
  public Vec3 plusScaled(Vec3 d, double s) {
    return new Vec3(x + d.x * s, y + d.y * s, z + d.z * s);
  }

  public double dot(Vec3 o) {
    return x * o.x + y * o.y + z * o.z;
  }

  public Vec3 cross(Vec3 o) {
    return new Vec3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x);
  }

  public double length() {
    return Math.sqrt(x * x + y * y + z * z);
  }

  /** This vector scaled to unit length; throws for the zero vector. */
  public Vec3 normalized() {
    double len = length();
    if (!(len > 0)) {
      throw new IllegalStateException("cannot normalise " + this);
    }
    return new Vec3(x / len, y / len, z / len);
  }

  public Vec3 negated() {
    return new Vec3(-x, -y, -z);
  }

  /** Linear interpolation {@code this * (1 - a) + o * a}. */
  public Vec3 lerp(Vec3 o, double a) {
    return new Vec3(x + (o.x - x) * a, y + (o.y - y) * a, z + (o.z - z) * a);
  }
}
