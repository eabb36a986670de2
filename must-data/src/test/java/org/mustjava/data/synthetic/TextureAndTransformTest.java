package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Procedural textures, colour conversions and rigid transforms on hand-checkable inputs. */
class TextureAndTransformTest {

  private static final Vec3 A = new Vec3(1, 0, 0), B = new Vec3(0, 0, 1);

  @Test
  void checkerAlternatesBetweenNeighbouringCellsAndIsStableOnTheGround() {
    Texture t = new Texture(TexturePattern.CHECKER, A, B, 0.5, 0, 0);
    Vec3 here = t.albedoAt(new Vec3(0.1, 0, 0.1));
    assertNotEquals(here, t.albedoAt(new Vec3(0.6, 0, 0.1)));
    assertNotEquals(here, t.albedoAt(new Vec3(0.1, 0, 0.6)));
    assertEquals(here, t.albedoAt(new Vec3(0.6, 0, 0.6)));
    // Points on the ground plane computed with rounding noise around y = 0 keep their colour.
    assertEquals(here, t.albedoAt(new Vec3(0.1, -1e-12, 0.1)));
    assertEquals(here, t.albedoAt(new Vec3(0.1, 1e-12, 0.1)));
  }

  @Test
  void stripesVaryOnlyAcrossTheirAxis() {
    Texture t = new Texture(TexturePattern.STRIPES, A, B, 0.25, 1, 0);
    Vec3 c = t.albedoAt(new Vec3(0, 0, 0));
    assertEquals(c, t.albedoAt(new Vec3(3.7, 0, -2.2)));
    assertNotEquals(c, t.albedoAt(new Vec3(0, 0.25, 0)));
  }

  @Test
  void noiseIsSeededSmoothAndInRange() {
    double min = 1, max = 0;
    for (int i = 0; i < 1000; i++) {
      double v = ValueNoise.fractal(42, i * 0.173, i * 0.071, i * 0.037);
      assertTrue(v >= 0 && v <= 1);
      min = Math.min(min, v);
      max = Math.max(max, v);
      assertEquals(v, ValueNoise.fractal(42, i * 0.173, i * 0.071, i * 0.037));
    }
    assertTrue(max - min > 0.3, "noise varies: " + min + ".." + max);
    assertNotEquals(ValueNoise.fractal(1, 0.5, 0.5, 0.5), ValueNoise.fractal(2, 0.5, 0.5, 0.5));
    // Continuous: a tiny step changes the value a little.
    assertEquals(ValueNoise.sample(7, 1.3, 2.1, 0.4), ValueNoise.sample(7, 1.3001, 2.1, 0.4), 1e-3);
  }

  @Test
  void hexColoursRoundTripAndHsvPrimariesAreRight() {
    assertEquals("#3a7fc2", Colours.toHex(Colours.parseHex("#3A7FC2")));
    assertEquals("#ff0000", Colours.toHex(Colours.hsv(0, 1, 1)));
    assertEquals("#00ff00", Colours.toHex(Colours.hsv(1.0 / 3, 1, 1)));
    assertEquals("#0000ff", Colours.toHex(Colours.hsv(2.0 / 3, 1, 1)));
    assertEquals("#ff0000", Colours.toHex(Colours.hsv(1, 1, 1)), "hue wraps");
  }

  @Test
  void rigidTransformsInvertAndCompose() {
    RigidTransform t = RigidTransform.rotationZ(0.4).then(RigidTransform.rotationY(1.1))
        .withTranslation(new Vec3(1, 2, 3));
    Vec3 p = new Vec3(-0.3, 0.8, 2.5);
    Vec3 back = t.toLocal(t.toWorld(p));
    assertEquals(p.x(), back.x(), 1e-12);
    assertEquals(p.y(), back.y(), 1e-12);
    assertEquals(p.z(), back.z(), 1e-12);
    // Rotating x by 90 degrees about z gives y; then 90 degrees about y turns y into itself.
    Vec3 r = RigidTransform.rotationZ(Math.PI / 2).then(RigidTransform.rotationY(Math.PI / 2))
        .rotate(new Vec3(1, 0, 0));
    assertEquals(0, r.x(), 1e-12);
    assertEquals(1, r.y(), 1e-12);
    assertEquals(0, r.z(), 1e-12);
    // About y by 90 degrees: x goes to -z (right-handed).
    Vec3 q = RigidTransform.rotationY(Math.PI / 2).rotate(new Vec3(1, 0, 0));
    assertEquals(-1, q.z(), 1e-12);
  }
}
