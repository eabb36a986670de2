package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mustjava.data.labels.LabelTypes;

/** Domain configuration changes what the generator draws, and bad configurations fail clearly. */
class SceneDomainTest {

  private static final int N = 30;

  @Test
  void categoriesRestrictTheObjectClasses() {
    SceneDomain pillarsOnly = SceneDomains.named("indoor").toBuilder()
        .categories(List.of(ObjectCategory.PILLAR)).build();
    SceneGenerator g = new SceneGenerator(pillarsOnly, 32, 32, 1);
    Set<Integer> seen = new java.util.HashSet<>();
    for (int i = 0; i < N; i++) {
      SyntheticScene s = g.generate(i);
      s.boxes().forEach(b -> seen.add(b.classId()));
      assertEquals(ObjectCategory.PILLAR.classId(), s.imageClass());
    }
    assertEquals(Set.of(ObjectCategory.PILLAR.classId()), seen);

    // The preset's own category set is what appears by default.
    Set<Integer> indoor = new java.util.HashSet<>();
    SceneGenerator d = new SceneGenerator(SceneDomains.named("indoor"), 32, 32, 1);
    for (int i = 0; i < N; i++) {
      d.generate(i).boxes().forEach(b -> indoor.add(b.classId()));
    }
    Set<Integer> expected = new java.util.HashSet<>();
    SceneDomains.named("indoor").categories().forEach(c -> expected.add(c.classId()));
    assertEquals(expected, indoor);
  }

  @Test
  void presetsDifferInDepthRangeAndBackground() {
    Stats tabletop = stats("tabletop"), outdoor = stats("outdoor"), indoor = stats("indoor");
    assertTrue(tabletop.medianObjectDepth < 2 && outdoor.medianObjectDepth > 3,
        "tabletop " + tabletop.medianObjectDepth + " m vs outdoor " + outdoor.medianObjectDepth + " m");
    assertEquals(0, outdoor.wallPixels, "outdoor has no walls");
    assertTrue(outdoor.skyPixels > 0, "outdoor shows the sky");
    assertTrue(indoor.wallPixels > 0, "indoor has walls");
  }

  @Test
  void wallProbabilitiesAndObjectCountsAreHonoured() {
    SceneDomain walled = SceneDomains.named("outdoor").toBuilder()
        .backWallProbability(1).sideWallProbability(1).minObjects(1).maxObjects(1).build();
    SceneGenerator g = new SceneGenerator(walled, 32, 32, 4);
    for (int i = 0; i < N; i++) {
      SyntheticScene s = g.generate(i);
      assertEquals(1, s.boxes().size());
      int walls = 0;
      for (byte b : s.image().semantic()) {
        walls += b == SceneClasses.WALL ? 1 : 0;
      }
      assertTrue(walls > 0, "scene " + i + " has its back wall in view");
    }
  }

  @Test
  void configureAppliesOverridesOnTopOfAPreset() {
    Object[] args = new Object[30];
    Arrays.fill(args, Optional.empty());
    args[0] = "outdoor";
    args[2] = Optional.of(List.of("ball", "log"));
    args[3] = Optional.of(2);
    args[4] = Optional.of(3);
    args[8] = Optional.of(List.of("checker"));
    args[21] = Optional.of(List.of("#102030"));
    SceneDomain d = configure(args);
    assertEquals("outdoor+custom", d.name());
    assertEquals(List.of(ObjectCategory.BALL, ObjectCategory.LOG), d.categories());
    assertEquals(2, d.minObjects());
    assertEquals(3, d.maxObjects());
    assertEquals(List.of(TexturePattern.CHECKER), d.objectPatterns());
    assertEquals("#102030", Colours.toHex(d.floorColours().get(0)));
    // Untouched values keep the preset's.
    SceneDomain outdoor = SceneDomains.named("outdoor");
    assertEquals(outdoor.maxDistance(), d.maxDistance());
    assertEquals(outdoor.directionalLight(), d.directionalLight());
    Arrays.fill(args, Optional.empty());
    args[0] = "outdoor";
    assertEquals(outdoor, configure(args), "nothing overridden: the preset itself");
  }

  @Test
  void badConfigurationsNameTheProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SceneDomains.named("space"));
    assertTrue(e.getMessage().contains("indoor, outdoor, tabletop, mixed"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ObjectCategory.parse("chair"));
    assertTrue(e.getMessage().contains("'chair'") && e.getMessage().contains("ball"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TexturePattern.parse("plaid"));
    assertTrue(e.getMessage().contains("plaid"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Colours.parseHex("#12345"));
    assertTrue(e.getMessage().contains("#12345"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SceneDomains.named("indoor").toBuilder().minObjects(4).maxObjects(2).build());
    assertTrue(e.getMessage().contains("object count"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SceneDomains.named("indoor").toBuilder().minFov(80).maxFov(60).build());
    assertTrue(e.getMessage().contains("fov"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SceneDomains.named("indoor").toBuilder().categories(List.of()).build());
    assertTrue(e.getMessage().contains("categories"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LabelTypes.parseList("depth,colour"));
    assertTrue(e.getMessage().contains("colour"), e.getMessage());
    assertEquals(Set.of(LabelTypes.DEPTH, LabelTypes.NORMALS), LabelTypes.parseList(" depth, normals "));
  }

  @Test
  void aDomainThatNeverShowsAnObjectFailsWithAClearMessage() {
    // Looking up at the sky: objects on the ground are never in view.
    SceneDomain skyward = SceneDomains.named("outdoor").toBuilder().minPitch(60).maxPitch(80)
        .minFov(10).maxFov(10).build();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new SceneGenerator(skyward, 16, 16, 1).generate(0));
    assertTrue(e.getMessage().contains("no visible object"), e.getMessage());
  }

  /** Calls {@link SceneDomains#configure} by reflection, as the config system does. */
  private static SceneDomain configure(Object[] args) {
    Method m = Arrays.stream(SceneDomains.class.getMethods())
        .filter(x -> x.getName().equals("configure")).findFirst().orElseThrow();
    assertEquals(args.length, m.getParameterCount());
    assertEquals("floorColours", m.getParameters()[21].getName(), "compiled with -parameters");
    try {
      return (SceneDomain) m.invoke(null, (Object[]) args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private record Stats(double medianObjectDepth, long wallPixels, long skyPixels) {}

  private static Stats stats(String domain) {
    SceneGenerator g = new SceneGenerator(SceneDomains.named(domain), 32, 32, 9);
    List<Float> depths = new java.util.ArrayList<>();
    long walls = 0, sky = 0;
    for (int i = 0; i < N; i++) {
      SceneImage img = g.generate(i).image();
      for (int p = 0; p < img.depth().length; p++) {
        int cls = img.semantic()[p];
        if (SceneClasses.isObject(cls)) {
          depths.add(img.depth()[p]);
        }
        walls += cls == SceneClasses.WALL ? 1 : 0;
        sky += cls == SceneClasses.BACKGROUND ? 1 : 0;
      }
    }
    depths.sort(null);
    return new Stats(depths.get(depths.size() / 2), walls, sky);
  }
}
