package org.mustjava.data.synthetic;

/**
 * A surface in a scene: a shape placed by a rigid transform, with a texture and its labels.
 *
 * @param classId semantic class (see {@link SceneClasses})
 * @param instanceId 1-based id for countable objects, 0 for stuff (floor, walls)
 */
public record SceneObject(
    Shape shape, RigidTransform transform, Texture texture, int classId, int instanceId) {

  /** Intersects a world ray; on a hit, {@code hit.normal} is the local-frame normal. */
  public boolean intersect(Vec3 worldOrigin, Vec3 worldDir, double tMin, double tMax, RayHit hit) {
    return shape.intersect(
        transform.toLocal(worldOrigin), transform.inverseRotate(worldDir), tMin, tMax, hit);
  }
}
