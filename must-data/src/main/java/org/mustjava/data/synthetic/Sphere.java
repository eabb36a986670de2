package org.mustjava.data.synthetic;

/** A sphere of the given radius centred at the local origin. */
public record Sphere(double radius) implements Shape {

  public Sphere {
    if (!(radius > 0)) {
      throw new IllegalArgumentException("sphere radius must be positive: " + radius);
    }
  }

  @Override
  public boolean intersect(Vec3 o, Vec3 d, double tMin, double tMax, RayHit hit) {
    // |o + t d|^2 = r^2 with |d| = 1:  t^2 + 2 b t + c = 0.
    double b = o.dot(d);
    double c = o.dot(o) - radius * radius;
    double disc = b * b - c;
    if (disc < 0) {
      return false;
    }
    double s = Math.sqrt(disc);
    double t = -b - s;
    if (t <= tMin) {
      t = -b + s;
    }
    if (t <= tMin || t >= tMax) {
      return false;
    }
    hit.t = t;
    hit.normal = o.plusScaled(d, t).times(1.0 / radius);
    return true;
  }
}
