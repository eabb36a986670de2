package org.mustjava.data.synthetic;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The object classes of the synthetic world. A category fixes the primitive and its proportions
 * (sizes in metres before a domain's object scale) and a typical hue; domains choose which
 * categories appear and whether colours follow the typical hue. Ids are stable: never reorder.
 */
public enum ObjectCategory {
  /** Sphere, radius 0.25-0.45. */
  BALL(0.0) {
    @Override
    ObjectGeometry sample(SplittableRandom rng, double s) {
      double r = s * uniform(rng, 0.25, 0.45);
      return new ObjectGeometry(new Sphere(r), RigidTransform.identity(), r, r);
    }
  },
  /** Cube, side 0.4-0.8. */
  CUBE(0.62) {
    @Override
    ObjectGeometry sample(SplittableRandom rng, double s) {
      double h = s * uniform(rng, 0.2, 0.4);
      return new ObjectGeometry(new Cuboid(h, h, h), RigidTransform.identity(), h, h * Math.sqrt(2));
    }
  },
  /** Low flat box: 0.9-1.4 long, 0.5-0.8 wide, 0.12-0.25 high. */
  SLAB(0.08) {
    @Override
    ObjectGeometry sample(SplittableRandom rng, double s) {
      double hx = s * uniform(rng, 0.45, 0.7), hz = s * uniform(rng, 0.25, 0.4);
      double hy = s * uniform(rng, 0.06, 0.125);
      return new ObjectGeometry(new Cuboid(hx, hy, hz), RigidTransform.identity(), hy, StrictMath.hypot(hx, hz));
    }
  },
  /** Tall square box: side 0.3-0.5, height 1.2-2.0. */
  TOWER(0.78) {
    @Override
    ObjectGeometry sample(SplittableRandom rng, double s) {
      double h = s * uniform(rng, 0.15, 0.25), hy = s * uniform(rng, 0.6, 1.0);
      return new ObjectGeometry(new Cuboid(h, hy, h), RigidTransform.identity(), hy, h * Math.sqrt(2));
    }
  },
  /** Tall thin upright cylinder: radius 0.12-0.25, height 1.2-2.0. */
  PILLAR(0.5) {
    @Override
    ObjectGeometry sample(SplittableRandom rng, double s) {
      double r = s * uniform(rng, 0.12, 0.25), hy = s * uniform(rng, 0.6, 1.0);
      return new ObjectGeometry(new Cylinder(r, hy), RigidTransform.identity(), hy, r);
    }
  },
  /** Short wide upright cylinder: radius 0.35-0.55, height 0.3-0.6. */
  DRUM(0.15) {
    @Override
    ObjectGeometry sample(SplittableRandom rng, double s) {
      double r = s * uniform(rng, 0.35, 0.55), hy = s * uniform(rng, 0.15, 0.3);
      return new ObjectGeometry(new Cylinder(r, hy), RigidTransform.identity(), hy, r);
    }
  },
  /** Cylinder lying on its side: radius 0.15-0.3, length 0.9-1.5. */
  LOG(0.32) {
    @Override
    ObjectGeometry sample(SplittableRandom rng, double s) {
      double r = s * uniform(rng, 0.15, 0.3), hl = s * uniform(rng, 0.45, 0.75);
      // The cylinder axis (local y) is turned onto the ground (world x before the yaw).
      return new ObjectGeometry(new Cylinder(r, hl), RigidTransform.rotationZ(Math.PI / 2), r,
          StrictMath.hypot(r, hl));
    }
  };

  private final double hue;

  ObjectCategory(double hue) {
    this.hue = hue;
  }

  /** Id in {@link SceneClasses}. */
  public int classId() {
    return SceneClasses.FIRST_OBJECT + ordinal();
  }

  /** Typical hue in [0, 1) (HSV), used when a domain ties colours to categories. */
  public double hue() {
    return hue;
  }

  /** The lower-case name used in config files and class lists. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a config name such as {@code "ball"}; the error lists the valid names. */
  public static ObjectCategory parse(String name) {
    for (ObjectCategory c : values()) {
      if (c.name().equalsIgnoreCase(name.trim())) {
        return c;
      }
    }
    StringBuilder valid = new StringBuilder();
    for (ObjectCategory c : values()) {
      valid.append(valid.length() == 0 ? "" : ", ").append(c.configName());
    }
    throw new IllegalArgumentException("unknown object category '" + name + "' (expected one of " + valid + ")");
  }

  /** Draws a shape of this category, all sizes multiplied by {@code scale}. */
  abstract ObjectGeometry sample(SplittableRandom rng, double scale);

  static double uniform(SplittableRandom rng, double lo, double hi) {
    return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
  }
}
