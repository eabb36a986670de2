package org.mustjava.data.synthetic;

import java.util.List;

/**
 * Everything the ray caster needs for one image. Rays that hit nothing see the sky, a vertical
 * gradient from {@code skyHorizon} to {@code skyZenith}.
 *
 * @param objects every surface, stuff and objects; instance ids of objects are 1..n
 * @param ambient fraction of the albedo visible without direct light, in [0, 1]
 * @param shadows whether shadow rays are cast towards the light
 */
public record Scene(
    Camera camera,
    List<SceneObject> objects,
    Light light,
    double ambient,
    boolean shadows,
    Vec3 skyHorizon,
    Vec3 skyZenith) {

  public Scene {
    objects = List.copyOf(objects);
  }

  /** Number of countable instances (the largest instance id). */
  public int instanceCount() {
    int n = 0;
    for (SceneObject o : objects) {
      n = Math.max(n, o.instanceId());
    }
    return n;
  }
}
