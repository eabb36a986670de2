package org.mustjava.data.synthetic;

import java.util.List;

/**
 * Renders a {@link Scene} by casting one primary ray per pixel centre (which defines every label
 * buffer), optionally averaging extra sub-pixel rays for the colour only (anti-aliasing). Shading
 * is Lambertian: {@code albedo * (ambient + (1 - ambient) * intensity * max(0, n.l) * visible)}.
 * Pure function of the scene: safe to call from several threads.
 */
public final class RayCaster {

  /** Rays start this far along their direction to skip the surface they leave. */
  private static final double T_MIN = 1e-6;
  /** Shadow rays start this far off the surface, along the normal (metres). */
  private static final double SHADOW_OFFSET = 1e-4;
  /** Gamma-2.2 encoding table over linear values quantised to 1/4095 (fast and bit-exact everywhere). */
  private static final byte[] GAMMA = new byte[4096];

  static {
    for (int i = 0; i < GAMMA.length; i++) {
      GAMMA[i] = (byte) Math.round(255 * StrictMath.pow(i / 4095.0, 1 / 2.2));
    }
  }

  private final int samplesPerAxis;

  /**
   * @param samplesPerAxis colour samples per pixel along each axis (1 = no anti-aliasing; k gives
   *     k*k stratified samples); labels always come from the pixel centre
   */
  public RayCaster(int samplesPerAxis) {
    if (samplesPerAxis < 1 || samplesPerAxis > 8) {
      throw new IllegalArgumentException("samples per axis must be in [1, 8]: " + samplesPerAxis);
    }
    this.samplesPerAxis = samplesPerAxis;
  }

  public SceneImage render(Scene scene) {
    Camera cam = scene.camera();
    int h = cam.height(), w = cam.width();
    byte[] rgb = new byte[h * w * 3];
    float[] depth = new float[h * w];
    float[] normals = new float[h * w * 3];
    byte[] semantic = new byte[h * w];
    int[] instance = new int[h * w];
    Surface surface = new Surface();
    for (int row = 0; row < h; row++) {
      for (int col = 0; col < w; col++) {
        int p = row * w + col;
        Vec3 dir = cam.rayDirection(row + 0.5, col + 0.5);
        Vec3 colour;
        if (trace(scene, cam.position(), dir, surface)) {
          SceneObject o = surface.object;
          depth[p] = (float) (surface.t * dir.dot(cam.forward()));
          Vec3 n = cam.toCameraFrame(surface.normal);
          normals[3 * p] = (float) n.x();
          normals[3 * p + 1] = (float) n.y();
          normals[3 * p + 2] = (float) n.z();
          semantic[p] = (byte) o.classId();
          instance[p] = o.instanceId();
          colour = shade(scene, dir, surface);
        } else {
          colour = sky(scene, dir);
        }
        if (samplesPerAxis > 1) {
          colour = supersample(scene, row, col, surface);
        }
        rgb[3 * p] = encode(colour.x());
        rgb[3 * p + 1] = encode(colour.y());
        rgb[3 * p + 2] = encode(colour.z());
      }
    }
    return new SceneImage(h, w, rgb, depth, normals, semantic, instance);
  }

  /** Mean linear colour of k*k stratified rays inside pixel {@code (row, col)}. */
  private Vec3 supersample(Scene scene, int row, int col, Surface surface) {
    Camera cam = scene.camera();
    double r = 0, g = 0, b = 0;
    int k = samplesPerAxis;
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        Vec3 dir = cam.rayDirection(row + (i + 0.5) / k, col + (j + 0.5) / k);
        Vec3 c = trace(scene, cam.position(), dir, surface) ? shade(scene, dir, surface) : sky(scene, dir);
        r += c.x();
        g += c.y();
        b += c.z();
      }
    }
    return new Vec3(r / (k * k), g / (k * k), b / (k * k));
  }

  /** The nearest surface along a ray, with its world normal turned towards the ray origin. */
  private static boolean trace(Scene scene, Vec3 origin, Vec3 dir, Surface out) {
    RayHit hit = out.hit;
    double best = Double.POSITIVE_INFINITY;
    SceneObject nearest = null;
    Vec3 localNormal = null;
    List<SceneObject> objects = scene.objects();
    for (int i = 0, n = objects.size(); i < n; i++) {
      SceneObject o = objects.get(i);
      if (o.intersect(origin, dir, T_MIN, best, hit)) {
        best = hit.t;
        nearest = o;
        localNormal = hit.normal;
      }
    }
    if (nearest == null) {
      return false;
    }
    Vec3 n = nearest.transform().rotate(localNormal);
    if (n.dot(dir) > 0) {
      n = n.negated();
    }
    out.object = nearest;
    out.t = best;
    out.point = origin.plusScaled(dir, best);
    out.normal = n;
    return true;
  }

  /** True if anything lies between {@code point} and the light. */
  private static boolean occluded(Scene scene, Vec3 point, Vec3 towardsLight, double maxT, RayHit hit) {
    for (SceneObject o : scene.objects()) {
      if (o.intersect(point, towardsLight, T_MIN, maxT, hit)) {
        return true;
      }
    }
    return false;
  }

  private static Vec3 shade(Scene scene, Vec3 dir, Surface s) {
    Vec3 albedo = s.object.texture().albedoAt(s.object.transform().toLocal(s.point));
    Light light = scene.light();
    Vec3 towardsLight;
    double maxT;
    if (light.directional()) {
      towardsLight = light.vector();
      maxT = Double.POSITIVE_INFINITY;
    } else {
      Vec3 v = light.vector().minus(s.point);
      maxT = v.length();
      towardsLight = v.times(1 / maxT);
    }
    double lambert = Math.max(0, s.normal.dot(towardsLight));
    if (lambert > 0 && scene.shadows()) {
      Vec3 start = s.point.plusScaled(s.normal, SHADOW_OFFSET);
      if (occluded(scene, start, towardsLight, maxT, s.hit)) {
        lambert = 0;
      }
    }
    double a = scene.ambient();
    return albedo.times(a + (1 - a) * light.intensity() * lambert);
  }

  private static Vec3 sky(Scene scene, Vec3 dir) {
    double a = Math.min(1, Math.max(0, dir.y() * 1.5));
    return scene.skyHorizon().lerp(scene.skyZenith(), a);
  }

  /** Linear [0, 1] -> sRGB-like byte with gamma 2.2. */
  private static byte encode(double linear) {
    double c = Math.min(1, Math.max(0, linear));
    return GAMMA[(int) (c * 4095 + 0.5)];
  }

  /** Scratch state of one traced ray. */
  private static final class Surface {
    final RayHit hit = new RayHit();
    SceneObject object;
    double t;
    Vec3 point;
    Vec3 normal;
  }
}
