package org.mustjava.data.synthetic;

/**
 * A rectangular solid (in its local frame) with the given half extents, centred at the origin; a 3D
 * shape of the scene renderer, not a 2D box label (those are {@code InstanceBox} in scenes and
 * {@code ObjectBoxes} in records).
 */
public record Cuboid(double halfX, double halfY, double halfZ) implements Shape {

  public Cuboid {
    if (!(halfX > 0 && halfY > 0 && halfZ > 0)) {
      throw new IllegalArgumentException("box half extents must be positive");
    }
  }

  @Override
  public boolean intersect(Vec3 o, Vec3 d, double tMin, double tMax, RayHit hit) {
    // Slab method: the ray is inside the box between the largest entry and smallest exit parameter.
    double[] origin = {o.x(), o.y(), o.z()};
    double[] dir = {d.x(), d.y(), d.z()};
    double[] half = {halfX, halfY, halfZ};
    double enter = Double.NEGATIVE_INFINITY, exit = Double.POSITIVE_INFINITY;
    int enterAxis = -1, exitAxis = -1;
    double enterSign = 0, exitSign = 0;
    for (int a = 0; a < 3; a++) {
      if (dir[a] == 0) {
        if (Math.abs(origin[a]) > half[a]) {
          return false;
        }
        continue;
      }
      double inv = 1.0 / dir[a];
      double t0 = (-half[a] - origin[a]) * inv;
      double t1 = (half[a] - origin[a]) * inv;
      // Entering through the face whose outward normal opposes the direction.
      double sign0 = -Math.signum(dir[a]);
      if (t0 > t1) {
        double tmp = t0;
        t0 = t1;
        t1 = tmp;
      }
      if (t0 > enter) {
        enter = t0;
        enterAxis = a;
        enterSign = sign0;
      }
      if (t1 < exit) {
        exit = t1;
        exitAxis = a;
        exitSign = -sign0;
      }
    }
    if (enter > exit) {
      return false;
    }
    double t;
    int axis;
    double sign;
    if (enter > tMin) {
      t = enter;
      axis = enterAxis;
      sign = enterSign;
    } else {
      t = exit;
      axis = exitAxis;
      sign = exitSign;
    }
    if (t <= tMin || t >= tMax || axis < 0) {
      return false;
    }
    hit.t = t;
    hit.normal = new Vec3(axis == 0 ? sign : 0, axis == 1 ? sign : 0, axis == 2 ? sign : 0);
    return true;
  }
}
