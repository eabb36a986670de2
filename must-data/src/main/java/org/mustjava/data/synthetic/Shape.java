package org.mustjava.data.synthetic;

/**
 * A primitive's geometry in its own local frame (centred at the origin, y up). Placement in the
 * world is done by a {@link RigidTransform}, so shapes only solve canonical intersections.
 */
public interface Shape {

  /**
   * Intersects the ray {@code origin + t * dir} ({@code dir} unit length, local frame) with the
   * surface. On the nearest hit with {@code tMin < t < tMax} fills {@code hit} and returns true.
   */
  boolean intersect(Vec3 origin, Vec3 dir, double tMin, double tMax, RayHit hit);
}
