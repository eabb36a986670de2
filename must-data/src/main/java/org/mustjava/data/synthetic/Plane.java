package org.mustjava.data.synthetic;

/**
 * The infinite plane {@code y = 0} of the local frame with normal {@code +y}: the ground, or a wall
 * once rotated. Rays hit it from either side; the renderer turns normals to face the camera.
 */
public record Plane() implements Shape {

  @Override
  public boolean intersect(Vec3 o, Vec3 d, double tMin, double tMax, RayHit hit) {
    if (d.y() == 0) {
      return false;
    }
    double t = -o.y() / d.y();
    if (t <= tMin || t >= tMax) {
      return false;
    }
    hit.t = t;
    hit.normal = Vec3.UNIT_Y;
    return true;
  }
}
