package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-checkable renders: single primitives straight ahead of a level camera. */
class RayCasterGeometryTest {

  // An odd image size puts the centre pixel's ray exactly on the optical axis.
  private static final int SIZE = 33;
  private static final int CENTRE = SIZE / 2;
  private static final Vec3 EYE = new Vec3(0, 1, 0);
  private static final Texture GREY = Texture.solid(new Vec3(0.5, 0.5, 0.5));

  private static Camera levelCamera() {
    return new Camera(EYE, 0, 0, 60, SIZE, SIZE);
  }

  private static Scene scene(Camera camera, SceneObject... objects) {
    return new Scene(camera, List.of(objects), Light.directional(new Vec3(0, 1, 1), 1), 0.3, true,
        new Vec3(0.6, 0.7, 0.8), new Vec3(0.3, 0.4, 0.6));
  }

  private static SceneObject object(Shape shape, RigidTransform placement) {
    return new SceneObject(shape, placement, GREY, ObjectCategory.BALL.classId(), 1);
  }

  @Test
  void sphereCentrePixelDepthIsDistanceMinusRadiusAndNormalFacesCamera() {
    double distance = 5, radius = 1;
    SceneImage img = new RayCaster(1).render(scene(levelCamera(),
        object(new Sphere(radius), RigidTransform.translation(new Vec3(0, 1, -distance)))));

    assertEquals(distance - radius, img.depthAt(CENTRE, CENTRE), 1e-5);
    Vec3 n = img.normalAt(CENTRE, CENTRE);
    // OpenCV frame: z points into the scene, so a normal pointing at the camera is (0, 0, -1).
    assertEquals(0, n.x(), 1e-6);
    assertEquals(0, n.y(), 1e-6);
    assertEquals(-1, n.z(), 1e-6);
    assertEquals(ObjectCategory.BALL.classId(), img.semanticAt(CENTRE, CENTRE));
    assertEquals(1, img.instance()[CENTRE * SIZE + CENTRE]);
    // The corner ray misses the sphere (half-angle 30 deg > asin(1/5)): sky, invalid labels.
    assertEquals(0f, img.depthAt(0, 0));
    assertEquals(new Vec3(0, 0, 0), img.normalAt(0, 0));
    assertEquals(SceneClasses.BACKGROUND, img.semanticAt(0, 0));
  }

  @Test
  void offAxisSphereDepthIsZDepthNotRayLength() {
    double distance = 5, radius = 1.5;
    Camera cam = levelCamera();
    SceneImage img = new RayCaster(1).render(scene(cam,
        object(new Sphere(radius), RigidTransform.translation(new Vec3(0, 1, -distance)))));
    int row = CENTRE - 3, col = CENTRE + 4;
    Vec3 d = cam.rayDirection(row + 0.5, col + 0.5);
    // Solve |EYE + t d - c|^2 = r^2 by hand for the near root.
    Vec3 oc = EYE.minus(new Vec3(0, 1, -distance));
    double b = oc.dot(d), c = oc.dot(oc) - radius * radius;
    double t = -b - Math.sqrt(b * b - c);
    assertEquals(t * -d.z(), img.depthAt(row, col), 1e-5); // forward is world -z
    assertTrue(img.depthAt(row, col) < t, "z-depth is shorter than the ray for off-axis pixels");
    // The normal is the unit vector from the centre to the hit point, in the camera frame.
    Vec3 hit = EYE.plusScaled(d, t);
    Vec3 expected = cam.toCameraFrame(hit.minus(new Vec3(0, 1, -distance)).times(1 / radius));
    Vec3 n = img.normalAt(row, col);
    assertEquals(expected.x(), n.x(), 1e-5);
    assertEquals(expected.y(), n.y(), 1e-5);
    assertEquals(expected.z(), n.z(), 1e-5);
  }

  @Test
  void boxFaceOnAndTurnedByFortyFiveDegrees() {
    RigidTransform at = RigidTransform.translation(new Vec3(0, 1, -5));
    SceneImage faceOn = new RayCaster(1).render(scene(levelCamera(), object(new Cuboid(0.5, 0.5, 0.5), at)));
    assertEquals(4.5, faceOn.depthAt(CENTRE, CENTRE), 1e-5);
    assertEquals(-1, faceOn.normalAt(CENTRE, CENTRE).z(), 1e-6);

    RigidTransform turned = RigidTransform.rotationY(Math.PI / 4).withTranslation(new Vec3(0, 1, -5));
    SceneImage edgeOn = new RayCaster(1).render(scene(levelCamera(), object(new Cuboid(0.5, 0.5, 0.5), turned)));
    // The vertical edge nearest the camera is half a diagonal in front of the centre.
    assertEquals(5 - 0.5 * Math.sqrt(2), edgeOn.depthAt(CENTRE, CENTRE), 1e-3);
    // The two faces beside the edge lean left and right by 45 degrees.
    Vec3 left = edgeOn.normalAt(CENTRE, CENTRE - 2), right = edgeOn.normalAt(CENTRE, CENTRE + 2);
    assertEquals(-Math.sqrt(0.5), left.x(), 1e-6);
    assertEquals(Math.sqrt(0.5), right.x(), 1e-6);
    assertEquals(-Math.sqrt(0.5), right.z(), 1e-6);
  }

  @Test
  void uprightAndLyingCylinders() {
    SceneImage upright = new RayCaster(1).render(scene(levelCamera(),
        object(new Cylinder(0.4, 0.5), RigidTransform.translation(new Vec3(0, 1, -4)))));
    assertEquals(3.6, upright.depthAt(CENTRE, CENTRE), 1e-5);
    assertEquals(-1, upright.normalAt(CENTRE, CENTRE).z(), 1e-6);

    // Lying along x: seen from the side like the upright one; the top of it has an up-facing normal.
    RigidTransform lying = RigidTransform.rotationZ(Math.PI / 2).withTranslation(new Vec3(0, 1, -4));
    SceneImage log = new RayCaster(1).render(scene(levelCamera(), object(new Cylinder(0.4, 2), lying)));
    assertEquals(3.6, log.depthAt(CENTRE, CENTRE), 1e-5);
    // Seen through the end cap: a cylinder of radius 0.4 along the optical axis.
    RigidTransform endOn = RigidTransform.rotationX(Math.PI / 2).withTranslation(new Vec3(0, 1, -4));
    SceneImage cap = new RayCaster(1).render(scene(levelCamera(), object(new Cylinder(0.4, 0.5), endOn)));
    assertEquals(3.5, cap.depthAt(CENTRE, CENTRE), 1e-5);
    assertEquals(-1, cap.normalAt(CENTRE, CENTRE).z(), 1e-6);
  }

  @Test
  void groundPlaneDepthAndUpNormalInCameraFrame() {
    Camera cam = levelCamera();
    SceneImage img = new RayCaster(1).render(scene(cam,
        new SceneObject(new Plane(), RigidTransform.identity(), GREY, SceneClasses.FLOOR, 0)));
    int row = SIZE - 1;
    Vec3 d = cam.rayDirection(row + 0.5, CENTRE + 0.5);
    // The ray falls 1 m (the camera height): t = 1 / -d.y, z-depth = t * -d.z.
    assertEquals(-d.z() / -d.y(), img.depthAt(row, CENTRE), 1e-5);
    // World up is camera -y in the OpenCV frame (y points down the image).
    Vec3 n = img.normalAt(row, CENTRE);
    assertEquals(0, n.x(), 1e-6);
    assertEquals(-1, n.y(), 1e-6);
    assertEquals(0, n.z(), 1e-6);
    assertEquals(SceneClasses.FLOOR, img.semanticAt(row, CENTRE));
    assertEquals(0, img.instance()[row * SIZE + CENTRE]);
    // Above the horizon there is only sky.
    assertEquals(0f, img.depthAt(0, CENTRE));
  }

  @Test
  void nearerObjectOccludesFartherOne() {
    SceneObject far = new SceneObject(new Sphere(1), RigidTransform.translation(new Vec3(0, 1, -8)),
        GREY, ObjectCategory.BALL.classId(), 1);
    SceneObject near = new SceneObject(new Cuboid(0.3, 0.3, 0.3), RigidTransform.translation(new Vec3(0, 1, -3)),
        GREY, ObjectCategory.CUBE.classId(), 2);
    SceneImage img = new RayCaster(1).render(scene(levelCamera(), far, near));
    assertEquals(2.7, img.depthAt(CENTRE, CENTRE), 1e-5);
    assertEquals(2, img.instance()[CENTRE * SIZE + CENTRE]);
  }

  @Test
  void shadowsOnlyDarkenTheFloorAndLabelsIgnoreLighting() {
    Camera cam = new Camera(new Vec3(0, 3, 0), 0, -35, 60, SIZE, SIZE);
    List<SceneObject> objects = new ArrayList<>();
    objects.add(new SceneObject(new Plane(), RigidTransform.identity(), GREY, SceneClasses.FLOOR, 0));
    objects.add(object(new Sphere(0.7), RigidTransform.translation(new Vec3(0, 0.7, -4))));
    Light sun = Light.directional(new Vec3(0.3, 1, 0.2), 1);
    Vec3 sky = new Vec3(0.5, 0.5, 0.5);
    SceneImage lit = new RayCaster(1).render(new Scene(cam, objects, sun, 0.3, false, sky, sky));
    SceneImage shadowed = new RayCaster(1).render(new Scene(cam, objects, sun, 0.3, true, sky, sky));

    int darker = 0;
    for (int p = 0; p < SIZE * SIZE; p++) {
      int a = lit.rgb()[3 * p] & 0xff, b = shadowed.rgb()[3 * p] & 0xff;
      assertTrue(b <= a, "shadows never brighten");
      if (b < a) {
        darker++;
        assertEquals(SceneClasses.FLOOR, shadowed.semantic()[p], "only the floor receives a shadow");
      }
    }
    assertTrue(darker > 10, "the sphere casts a visible shadow: " + darker + " pixels");
    assertEquals(java.util.Arrays.toString(lit.depth()), java.util.Arrays.toString(shadowed.depth()));
  }
}
