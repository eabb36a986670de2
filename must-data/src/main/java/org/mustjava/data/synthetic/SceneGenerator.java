package org.mustjava.data.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws scenes from a {@link SceneDomain} and renders them. Scene {@code i} depends only on
 * {@code (seed, i)} (its random stream is seeded by {@link #sceneSeed}), so scenes can be made in
 * any order on any number of threads with identical results. Stateless after construction:
 * thread-safe.
 *
 * <p>World: y up, the ground is {@code y = 0}, the camera stands above the origin. Objects rest on
 * the ground inside the camera's horizontal field of view, without overlapping each other or the
 * walls. A draw in which no object ends up with a box (all too small or hidden) is discarded and
 * the next draw of the same random stream is used, so every scene has at least one box.
 */
public final class SceneGenerator {

  /** Draws per scene before giving up on a domain that never shows an object. */
  private static final int MAX_DRAWS = 64;
  /** Attempts to place one object before skipping it. */
  private static final int PLACEMENT_TRIES = 30;
  /** Clearance between objects, and between objects and walls (metres, times object scale). */
  private static final double GAP = 0.05;

  private final SceneDomain domain;
  private final int height;
  private final int width;
  private final long seed;
  private final RayCaster caster;
  private final int minBoxPixels;
  private final int minBoxSide;

  /**
   * @param samplesPerAxis colour anti-aliasing (see {@link RayCaster})
   * @param minBoxPixels instances with fewer visible pixels get no box
   * @param minBoxSide instances whose box is thinner than this many pixels get no box
   */
  public SceneGenerator(SceneDomain domain, int height, int width, long seed, int samplesPerAxis,
      int minBoxPixels, int minBoxSide) {
    if (height < 8 || width < 8) {
      throw new IllegalArgumentException("image size must be at least 8x8: " + height + "x" + width);
    }
    if (minBoxPixels < 1 || minBoxSide < 1) {
      throw new IllegalArgumentException("minBoxPixels and minBoxSide must be >= 1");
    }
    this.domain = domain;
    this.height = height;
    this.width = width;
    this.seed = seed;
    this.caster = new RayCaster(samplesPerAxis);
    this.minBoxPixels = minBoxPixels;
    this.minBoxSide = minBoxSide;
  }

  /** Defaults: no anti-aliasing, boxes need 6 pixels and a side of 2 pixels. */
  public SceneGenerator(SceneDomain domain, int height, int width, long seed) {
    this(domain, height, width, seed, 1, 6, 2);
  }

  public SceneDomain domain() {
    return domain;
  }

  /** The seed of scene {@code index}'s random stream: a SplitMix64 hash of (seed, index). */
  public static long sceneSeed(long seed, long index) {
    long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Renders scene {@code index} with its labels. */
  public SyntheticScene generate(long index) {
    SplittableRandom rng = new SplittableRandom(sceneSeed(seed, index));
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      SceneImage image = caster.render(sample(rng));
      List<InstanceBox> boxes = SceneLabels.boxes(image, minBoxPixels, minBoxSide);
      if (!boxes.isEmpty()) {
        String id = "synthetic/" + domain.name() + "/" + seed + "/" + index;
        return new SyntheticScene(index, id, image, boxes, SceneLabels.imageClass(image));
      }
    }
    throw new IllegalStateException("domain '" + domain.name() + "' produced no visible object in "
        + MAX_DRAWS + " draws of scene " + index + " at " + height + "x" + width
        + ": check its camera and distance ranges");
  }

  /** Draws one scene description from {@code rng}. */
  Scene sample(SplittableRandom rng) {
    SceneDomain d = domain;
    double camHeight = uniform(rng, d.minCameraHeight(), d.maxCameraHeight());
    double pitch = uniform(rng, d.minPitch(), d.maxPitch());
    double yaw = uniform(rng, -d.maxYaw(), d.maxYaw());
    double fov = uniform(rng, d.minFov(), d.maxFov());
    Camera camera = new Camera(new Vec3(0, camHeight, 0), yaw, pitch, fov, width, height);
    double sceneScale = (d.minObjectScale() + d.maxObjectScale()) / 2;

    List<SceneObject> objects = new ArrayList<>();
    objects.add(new SceneObject(new Plane(), RigidTransform.identity(),
        backgroundTexture(rng, d.floorPatterns(), d.floorColours(), sceneScale, 0),
        SceneClasses.FLOOR, 0));
    // Walls: planes facing the camera, behind and beside the placement area.
    double backZ = Double.NEGATIVE_INFINITY;
    double sideX = Double.POSITIVE_INFINITY;
    if (rng.nextDouble() < d.backWallProbability()) {
      backZ = -(d.maxDistance() + sceneScale * uniform(rng, 0.8, 2.5));
      objects.add(new SceneObject(new Plane(),
          RigidTransform.rotationX(Math.PI / 2).withTranslation(new Vec3(0, 0, backZ)),
          backgroundTexture(rng, d.wallPatterns(), d.wallColours(), sceneScale, 2),
          SceneClasses.WALL, 0));
    }
    if (rng.nextDouble() < d.sideWallProbability()) {
      sideX = d.maxDistance() * uniform(rng, 0.5, 0.9) + sceneScale;
      Texture wall = backgroundTexture(rng, d.wallPatterns(), d.wallColours(), sceneScale, 2);
      // Local +y (the plane normal) turned to +x for the left wall and to -x for the right wall.
      objects.add(new SceneObject(new Plane(),
          RigidTransform.rotationZ(-Math.PI / 2).withTranslation(new Vec3(-sideX, 0, 0)), wall,
          SceneClasses.WALL, 0));
      objects.add(new SceneObject(new Plane(),
          RigidTransform.rotationZ(Math.PI / 2).withTranslation(new Vec3(sideX, 0, 0)), wall,
          SceneClasses.WALL, 0));
    }

    int count = d.minObjects() + rng.nextInt(d.maxObjects() - d.minObjects() + 1);
    double halfFovX = camera.halfFovXRadians();
    List<double[]> footprints = new ArrayList<>(); // {x, z, radius}
    int instanceId = 0;
    for (int i = 0; i < count; i++) {
      ObjectCategory category = pick(rng, d.categories());
      double scale = uniform(rng, d.minObjectScale(), d.maxObjectScale());
      ObjectGeometry geometry = category.sample(rng, scale);
      double objectYaw = uniform(rng, 0, 2 * Math.PI);
      Texture texture = objectTexture(rng, category, scale);
      double radius = geometry.footprintRadius();
      double gap = GAP * scale;
      Vec3 position = null;
      for (int attempt = 0; attempt < PLACEMENT_TRIES && position == null; attempt++) {
        double distance = uniform(rng, d.minDistance(), d.maxDistance());
        // Azimuth of the object seen from above: within 90% of the horizontal field of view.
        double azimuth = StrictMath.toRadians(yaw) + uniform(rng, -0.9, 0.9) * halfFovX;
        double x = -StrictMath.sin(azimuth) * distance, z = -StrictMath.cos(azimuth) * distance;
        if (fits(x, z, radius, gap, distance, backZ, sideX, footprints, scale)) {
          position = new Vec3(x, geometry.restingHeight(), z);
        }
      }
      if (position == null) {
        continue; // crowded: this object is skipped
      }
      footprints.add(new double[] {position.x(), position.z(), radius});
      RigidTransform placement =
          geometry.orientation().then(RigidTransform.rotationY(objectYaw)).withTranslation(position);
      objects.add(new SceneObject(geometry.shape(), placement, texture, category.classId(), ++instanceId));
    }

    Light light;
    if (d.directionalLight()) {
      double elevation = StrictMath.toRadians(uniform(rng, 30, 70));
      double azimuth = uniform(rng, 0, 2 * Math.PI);
      light = Light.directional(new Vec3(StrictMath.cos(elevation) * StrictMath.sin(azimuth),
          StrictMath.sin(elevation), StrictMath.cos(elevation) * StrictMath.cos(azimuth)),
          uniform(rng, 0.9, 1.1));
    } else {
      double lx = uniform(rng, -0.5, 0.5) * d.maxDistance();
      if (sideX < Double.POSITIVE_INFINITY) {
        lx = Math.max(-0.8 * sideX, Math.min(0.8 * sideX, lx));
      }
      double ly = camHeight + sceneScale * uniform(rng, 0.8, 2.0);
      double lz = -uniform(rng, 0.2, 0.8) * d.maxDistance();
      light = Light.point(new Vec3(lx, ly, lz), uniform(rng, 0.9, 1.1));
    }
    double ambient = uniform(rng, d.minAmbient(), d.maxAmbient());
    return new Scene(camera, objects, light, ambient, d.shadows(), d.skyHorizon(), d.skyZenith());
  }

  /** Whether a footprint circle at (x, z) keeps clear of the camera, the walls and other objects. */
  private static boolean fits(double x, double z, double radius, double gap, double distance,
      double backZ, double sideX, List<double[]> footprints, double scale) {
    if (distance - radius < 0.3 * scale + gap) {
      return false; // the camera would stand in or against the object
    }
    if (z - radius - gap < backZ || Math.abs(x) + radius + gap > sideX) {
      return false;
    }
    for (double[] f : footprints) {
      double dx = x - f[0], dz = z - f[1];
      double min = radius + f[2] + gap;
      if (dx * dx + dz * dz < min * min) {
        return false;
      }
    }
    return true;
  }

  /** A floor or wall texture; {@code stripeAxis} 0 gives floor planks along z, 2 wall bands. */
  private static Texture backgroundTexture(SplittableRandom rng, List<TexturePattern> patterns,
      List<Vec3> colours, double scale, int stripeAxis) {
    TexturePattern pattern = pick(rng, patterns);
    Vec3 base = pick(rng, colours).times(uniform(rng, 0.85, 1.15));
    double size;
    Vec3 second;
    switch (pattern) {
      case CHECKER:
        size = scale * uniform(rng, 0.4, 0.9);
        second = base.times(uniform(rng, 0.45, 0.7));
        break;
      case STRIPES:
        size = scale * uniform(rng, 0.15, 0.35);
        second = base.times(uniform(rng, 0.6, 0.8));
        break;
      case NOISE:
        size = scale * uniform(rng, 0.2, 0.6);
        second = base.times(uniform(rng, 0.45, 0.7));
        break;
      default:
        size = 1;
        second = base;
    }
    return new Texture(pattern, base, second, size, stripeAxis, rng.nextLong());
  }

  private Texture objectTexture(SplittableRandom rng, ObjectCategory category, double scale) {
    double hue = domain.categoryColours()
        ? category.hue() + uniform(rng, -0.04, 0.04)
        : rng.nextDouble();
    double saturation = uniform(rng, 0.5, 0.9), value = uniform(rng, 0.55, 0.95);
    Vec3 base = Colours.hsv(hue, saturation, value);
    TexturePattern pattern = pick(rng, domain.objectPatterns());
    Vec3 second;
    double size;
    switch (pattern) {
      case CHECKER:
        size = scale * uniform(rng, 0.1, 0.2);
        second = Colours.hsv(hue, saturation * 0.35, Math.min(1, value * 1.1));
        break;
      case STRIPES:
        size = scale * uniform(rng, 0.06, 0.15);
        second = Colours.hsv(hue, saturation * 0.35, Math.min(1, value * 1.1));
        break;
      case NOISE:
        size = scale * uniform(rng, 0.08, 0.2);
        second = base.times(0.45);
        break;
      default:
        size = 1;
        second = base;
    }
    // Stripes across the object's local y: rings on upright objects, along the axis of logs.
    return new Texture(pattern, base, second, size, 1, rng.nextLong());
  }

  private static <T> T pick(SplittableRandom rng, List<T> items) {
    return items.get(rng.nextInt(items.size()));
  }

  private static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
  }
}
