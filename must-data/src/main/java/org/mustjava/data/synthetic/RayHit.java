package org.mustjava.data.synthetic;

/**
 * A mutable intersection result, reused across rays to avoid allocation in the inner loop.
 * {@link Shape#intersect} fills {@link #t} and the local-frame {@link #normal}.
 */
public final class RayHit {
  /** Ray parameter of the hit (distance along the unit direction). */
  public double t;
  /** Outward unit surface normal in the shape's local frame. */
  public Vec3 normal;
}
