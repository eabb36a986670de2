package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Determinism of the generator and consistency of every label with every other. */
class SceneGeneratorTest {

  static Iterable<String> domains() {
    return SceneDomains.names();
  }

  @Test
  void sameSeedAndIndexGiveIdenticalScenesInAnyOrder() {
    SceneGenerator a = new SceneGenerator(SceneDomains.named("mixed"), 48, 48, 7, 2, 6, 2);
    SceneGenerator b = new SceneGenerator(SceneDomains.named("mixed"), 48, 48, 7, 2, 6, 2);
    SyntheticScene fifthFirst = b.generate(5);
    for (int i = 0; i < 5; i++) {
      a.generate(i);
    }
    assertSameScene(a.generate(5), fifthFirst);
    assertSameScene(a.generate(3), b.generate(3));
  }

  @Test
  void differentSeedsOrIndicesGiveDifferentScenes() {
    SceneGenerator a = new SceneGenerator(SceneDomains.named("indoor"), 32, 32, 1);
    SceneGenerator b = new SceneGenerator(SceneDomains.named("indoor"), 32, 32, 2);
    assertFalse(Arrays.equals(a.generate(0).image().rgb(), b.generate(0).image().rgb()));
    assertFalse(Arrays.equals(a.generate(0).image().rgb(), a.generate(1).image().rgb()));
    assertEquals("synthetic/indoor/1/4", a.generate(4).sourceId());
  }

  @ParameterizedTest
  @MethodSource("domains")
  void labelsAreConsistentWithEachOther(String domain) {
    SceneGenerator generator = new SceneGenerator(SceneDomains.named(domain), 40, 48, 11);
    for (int i = 0; i < 25; i++) {
      SyntheticScene scene = generator.generate(i);
      SceneImage img = scene.image();
      checkDepthAndNormals(img);
      checkBoxes(scene);
      checkImageClass(scene);
    }
  }

  @Test
  void normalsFaceTheCameraAlongEachPixelRay() {
    SceneGenerator generator = new SceneGenerator(SceneDomains.named("mixed"), 32, 32, 3);
    for (int i = 0; i < 10; i++) {
      Scene scene = generator.sample(new SplittableRandom(SceneGenerator.sceneSeed(3, i)));
      SceneImage img = new RayCaster(1).render(scene);
      Camera cam = scene.camera();
      for (int r = 0; r < 32; r++) {
        for (int c = 0; c < 32; c++) {
          if (img.depthAt(r, c) > 0) {
            Vec3 ray = cam.toCameraFrame(cam.rayDirection(r + 0.5, c + 0.5));
            assertTrue(img.normalAt(r, c).dot(ray) < 0, "normal faces the camera at " + r + "," + c);
            assertTrue(ray.z() > 0, "camera-frame z points into the scene");
          }
        }
      }
    }
  }

  @Test
  void everySceneHasAVisibleObjectEvenWithTinyImages() {
    SceneGenerator generator = new SceneGenerator(SceneDomains.named("outdoor"), 16, 16, 5);
    for (int i = 0; i < 40; i++) {
      SyntheticScene s = generator.generate(i);
      assertFalse(s.boxes().isEmpty());
      assertTrue(SceneClasses.isObject(s.imageClass()));
    }
  }

  private static void checkDepthAndNormals(SceneImage img) {
    for (int p = 0; p < img.height() * img.width(); p++) {
      float d = img.depth()[p];
      Vec3 n = img.normalAt(p / img.width(), p % img.width());
      int cls = img.semantic()[p] & 0xff;
      assertTrue(d >= 0 && Float.isFinite(d), "depth " + d);
      if (d > 0) {
        assertEquals(1.0, n.length(), 1e-5, "unit normal where depth is valid");
        assertTrue(cls != SceneClasses.BACKGROUND, "a surface has a class");
      } else {
        assertEquals(Vec3.ZERO, n, "no normal where depth is invalid");
        assertEquals(SceneClasses.BACKGROUND, cls, "only the sky has no depth");
        assertEquals(0, img.instance()[p]);
      }
      assertTrue(cls < SceneClasses.NUM_CLASSES);
      assertEquals(img.instance()[p] > 0, SceneClasses.isObject(cls), "instances are exactly the object pixels");
    }
  }

  private static void checkBoxes(SyntheticScene scene) {
    SceneImage img = scene.image();
    int h = img.height(), w = img.width();
    assertFalse(scene.boxes().isEmpty());
    for (InstanceBox box : scene.boxes()) {
      assertTrue(SceneClasses.isObject(box.classId()));
      float[] yxyx = box.box().toYxyx();
      int r0 = Math.round(yxyx[0] * h), r1 = Math.round(yxyx[2] * h);
      int c0 = Math.round(yxyx[1] * w), c1 = Math.round(yxyx[3] * w);
      assertTrue(r0 < r1 && c0 < c1 && r1 - r0 >= 2 && c1 - c0 >= 2);
      int pixels = 0;
      boolean top = false, bottom = false, left = false, right = false;
      for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
          if (img.instance()[r * w + c] != box.instanceId()) {
            continue;
          }
          pixels++;
          assertTrue(r >= r0 && r < r1 && c >= c0 && c < c1, "box encloses its instance");
          assertEquals(box.classId(), img.semanticAt(r, c), "mask class inside the instance");
          top |= r == r0;
          bottom |= r == r1 - 1;
          left |= c == c0;
          right |= c == c1 - 1;
        }
      }
      assertEquals(box.pixels(), pixels);
      assertTrue(pixels >= 6, "tiny instances are dropped");
      assertTrue(top && bottom && left && right, "the box is tight");
    }
  }

  private static void checkImageClass(SyntheticScene scene) {
    int[] count = new int[SceneClasses.NUM_CLASSES];
    for (byte b : scene.image().semantic()) {
      count[b & 0xff]++;
    }
    int cls = scene.imageClass();
    assertTrue(SceneClasses.isObject(cls) && count[cls] > 0);
    for (int id = SceneClasses.FIRST_OBJECT; id < count.length; id++) {
      assertTrue(count[id] < count[cls] || count[id] == count[cls] && id >= cls,
          "image class " + cls + " covers the most object pixels");
    }
  }

  private static void assertSameScene(SyntheticScene x, SyntheticScene y) {
    assertEquals(x.sourceId(), y.sourceId());
    assertArrayEquals(x.image().rgb(), y.image().rgb());
    assertArrayEquals(x.image().depth(), y.image().depth());
    assertArrayEquals(x.image().normals(), y.image().normals());
    assertArrayEquals(x.image().semantic(), y.image().semantic());
    assertArrayEquals(x.image().instance(), y.image().instance());
    assertEquals(x.boxes(), y.boxes());
    assertEquals(x.imageClass(), y.imageClass());
  }
}
