package org.mustjava.data.synthetic;

/** A closed (capped) cylinder around the local y axis, from {@code -halfHeight} to {@code +halfHeight}. */
public record Cylinder(double radius, double halfHeight) implements Shape {

  public Cylinder {
    if (!(radius > 0 && halfHeight > 0)) {
      throw new IllegalArgumentException("cylinder radius and half height must be positive");
    }
  }

  @Override
  public boolean intersect(Vec3 o, Vec3 d, double tMin, double tMax, RayHit hit) {
    double best = tMax;
    Vec3 normal = null;
    // Side: (ox + t dx)^2 + (oz + t dz)^2 = r^2, with |y| <= h.
    double a = d.x() * d.x() + d.z() * d.z();
    if (a > 1e-12) {
      double b = o.x() * d.x() + o.z() * d.z();
      double c = o.x() * o.x() + o.z() * o.z() - radius * radius;
      double disc = b * b - a * c;
      if (disc >= 0) {
        double s = Math.sqrt(disc);
        for (double t : new double[] {(-b - s) / a, (-b + s) / a}) {
          if (t > tMin && t < best) {
            double y = o.y() + t * d.y();
            if (Math.abs(y) <= halfHeight) {
              best = t;
              double x = o.x() + t * d.x(), z = o.z() + t * d.z();
              normal = new Vec3(x / radius, 0, z / radius);
              break;
            }
          }
        }
      }
    }
    // Caps: y = +-h, with x^2 + z^2 <= r^2.
    if (d.y() != 0) {
      for (double capY : new double[] {halfHeight, -halfHeight}) {
        double t = (capY - o.y()) / d.y();
        if (t > tMin && t < best) {
          double x = o.x() + t * d.x(), z = o.z() + t * d.z();
          if (x * x + z * z <= radius * radius) {
            best = t;
            normal = new Vec3(0, Math.signum(capY), 0);
          }
        }
      }
    }
    if (normal == null) {
      return false;
    }
    hit.t = best;
    hit.normal = normal;
    return true;
  }
}
