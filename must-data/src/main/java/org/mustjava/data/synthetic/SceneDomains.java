package org.mustjava.data.synthetic;

import static org.mustjava.data.synthetic.ObjectCategory.BALL;
import static org.mustjava.data.synthetic.ObjectCategory.CUBE;
import static org.mustjava.data.synthetic.ObjectCategory.DRUM;
import static org.mustjava.data.synthetic.ObjectCategory.LOG;
import static org.mustjava.data.synthetic.ObjectCategory.PILLAR;
import static org.mustjava.data.synthetic.ObjectCategory.SLAB;
import static org.mustjava.data.synthetic.ObjectCategory.TOWER;
import static org.mustjava.data.synthetic.TexturePattern.CHECKER;
import static org.mustjava.data.synthetic.TexturePattern.NOISE;
import static org.mustjava.data.synthetic.TexturePattern.SOLID;
import static org.mustjava.data.synthetic.TexturePattern.STRIPES;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;

/**
 * The named scene domains. Their category sets overlap but differ, as do their looks, so a model
 * trained on one meets a distribution shift on another:
 *
 * <ul>
 *   <li>{@code indoor}: rooms with tiled, planked or speckled floors and plain walls, a ceiling
 *       lamp, eye-level camera; balls, cubes, slabs, drums, logs and towers in their usual colours.
 *   <li>{@code outdoor}: grass, dirt or sand under an open sky, the sun, a higher camera seeing
 *       further; balls, cubes, towers, pillars, logs and drums.
 *   <li>{@code tabletop}: small objects in any colour on a wooden or white table seen from close
 *       above, sometimes against a wall; balls, cubes, drums, pillars and slabs.
 *   <li>{@code mixed}: every category, rooms or open ground, the union of the ranges above.
 * </ul>
 *
 * <p>In config files a domain is a preset with optional overrides, e.g.
 * <pre>
 * teacher/SceneDomain.preset = 'indoor'
 * unlabelled/SceneDomain.preset = 'mixed'
 * downstream/SceneDomain.preset = 'outdoor'
 * downstream/SceneDomain.categories = ['ball', 'pillar', 'tower']
 * downstream/SceneDomain.floorColours = ['#5d8a3c']
 * </pre>
 */
public final class SceneDomains {

  private SceneDomains() {}

  /** Names accepted by {@link #named}. */
  public static List<String> names() {
    return List.of("indoor", "outdoor", "tabletop", "mixed");
  }

  /** The preset called {@code name}; the error lists the valid names. */
  public static SceneDomain named(String name) {
    switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "indoor":
        return indoor().build();
      case "outdoor":
        return outdoor().build();
      case "tabletop":
        return tabletop().build();
      case "mixed":
        return mixed().build();
      default:
        throw new IllegalArgumentException(
            "unknown scene domain '" + name + "' (expected one of " + String.join(", ", names()) + ")");
    }
  }

  /**
   * Config entry point: a preset with overrides. Every override left unbound (None) keeps the
   * preset's value. Names (categories, patterns) are the lower-case enum names; colours are
   * {@code "#rrggbb"} sRGB. Parameters mean what the {@link SceneDomain} components of the same
   * name mean.
   *
   * <p>The overrides stay {@code Optional}: their "default" is not one constant but whatever the
   * chosen preset says, so None genuinely means "the preset's value". The operative config then
   * prints {@code preset} and the overrides actually set, which determines the domain exactly
   * (feeding it back rebuilds the same domain); the preset values themselves are in the code below
   * and in docs/synthetic-scenes.md.
   *
   * @param preset one of {@link #names()}
   * @param name the domain's name in source ids; None keeps the preset's name, or appends
   *     {@code "+custom"} to it when anything is overridden
   */
  @Configurable("SceneDomain")
  public static SceneDomain configure(@Default("'mixed'") String preset, Optional<String> name,
      Optional<List<String>> categories, Optional<Integer> minObjects, Optional<Integer> maxObjects,
      Optional<Double> minObjectScale, Optional<Double> maxObjectScale,
      Optional<Boolean> categoryColours, Optional<List<String>> objectPatterns,
      Optional<Double> minCameraHeight, Optional<Double> maxCameraHeight, Optional<Double> minPitch,
      Optional<Double> maxPitch, Optional<Double> maxYaw, Optional<Double> minFov,
      Optional<Double> maxFov, Optional<Double> minDistance, Optional<Double> maxDistance,
      Optional<Double> backWallProbability, Optional<Double> sideWallProbability,
      Optional<List<String>> floorPatterns, Optional<List<String>> floorColours,
      Optional<List<String>> wallPatterns, Optional<List<String>> wallColours,
      Optional<String> skyHorizon, Optional<String> skyZenith, Optional<Boolean> directionalLight,
      Optional<Boolean> shadows, Optional<Double> minAmbient, Optional<Double> maxAmbient) {
    SceneDomain base = named(preset);
    SceneDomain.Builder b = base.toBuilder();
    boolean[] changed = {false};
    Function<List<String>, List<TexturePattern>> patterns =
        names -> names.stream().map(TexturePattern::parse).toList();
    Function<List<String>, List<Vec3>> colours = hexes -> hexes.stream().map(Colours::parseHex).toList();
    set(changed, categories, v -> b.categories(v.stream().map(ObjectCategory::parse).toList()));
    set(changed, minObjects, b::minObjects);
    set(changed, maxObjects, b::maxObjects);
    set(changed, minObjectScale, b::minObjectScale);
    set(changed, maxObjectScale, b::maxObjectScale);
    set(changed, categoryColours, b::categoryColours);
    set(changed, objectPatterns, v -> b.objectPatterns(patterns.apply(v)));
    set(changed, minCameraHeight, b::minCameraHeight);
    set(changed, maxCameraHeight, b::maxCameraHeight);
    set(changed, minPitch, b::minPitch);
    set(changed, maxPitch, b::maxPitch);
    set(changed, maxYaw, b::maxYaw);
    set(changed, minFov, b::minFov);
    set(changed, maxFov, b::maxFov);
    set(changed, minDistance, b::minDistance);
    set(changed, maxDistance, b::maxDistance);
    set(changed, backWallProbability, b::backWallProbability);
    set(changed, sideWallProbability, b::sideWallProbability);
    set(changed, floorPatterns, v -> b.floorPatterns(patterns.apply(v)));
    set(changed, floorColours, v -> b.floorColours(colours.apply(v)));
    set(changed, wallPatterns, v -> b.wallPatterns(patterns.apply(v)));
    set(changed, wallColours, v -> b.wallColours(colours.apply(v)));
    set(changed, skyHorizon, v -> b.skyHorizon(Colours.parseHex(v)));
    set(changed, skyZenith, v -> b.skyZenith(Colours.parseHex(v)));
    set(changed, directionalLight, b::directionalLight);
    set(changed, shadows, b::shadows);
    set(changed, minAmbient, b::minAmbient);
    set(changed, maxAmbient, b::maxAmbient);
    b.name(name.orElse(changed[0] ? base.name() + "+custom" : base.name()));
    return b.build();
  }

  private static <T> void set(boolean[] changed, Optional<T> value, Consumer<T> setter) {
    if (value.isPresent()) {
      setter.accept(value.get());
      changed[0] = true;
    }
  }

  private static SceneDomain.Builder indoor() {
    return SceneDomain.builder()
        .name("indoor")
        .categories(List.of(BALL, CUBE, SLAB, DRUM, LOG, TOWER))
        .minObjects(2).maxObjects(5)
        .minObjectScale(0.9).maxObjectScale(1.1)
        .categoryColours(true)
        .objectPatterns(List.of(SOLID, SOLID, CHECKER, STRIPES))
        .minCameraHeight(1.3).maxCameraHeight(1.8)
        .minPitch(-30).maxPitch(-15).maxYaw(20)
        .minFov(50).maxFov(65)
        .minDistance(2.0).maxDistance(5.0)
        .backWallProbability(0.9).sideWallProbability(0.6)
        .floorPatterns(List.of(CHECKER, STRIPES, NOISE))
        .floorColours(hex("#b8a48a", "#8c6e54", "#9a9a96", "#c9c0b0"))
        .wallPatterns(List.of(SOLID, SOLID, NOISE))
        .wallColours(hex("#e6e0d2", "#d8e2e8", "#e8d8d0", "#c8d0c0"))
        .skyHorizon(Colours.parseHex("#dfe6ec")).skyZenith(Colours.parseHex("#9fb4c8"))
        .directionalLight(false).shadows(true)
        .minAmbient(0.3).maxAmbient(0.45);
  }

  private static SceneDomain.Builder outdoor() {
    return SceneDomain.builder()
        .name("outdoor")
        .categories(List.of(BALL, CUBE, TOWER, PILLAR, LOG, DRUM))
        .minObjects(1).maxObjects(4)
        .minObjectScale(1.0).maxObjectScale(1.4)
        .categoryColours(true)
        .objectPatterns(List.of(SOLID, SOLID, NOISE, STRIPES))
        .minCameraHeight(1.5).maxCameraHeight(2.5)
        .minPitch(-20).maxPitch(-8).maxYaw(30)
        .minFov(55).maxFov(75)
        .minDistance(3.0).maxDistance(9.0)
        .backWallProbability(0).sideWallProbability(0)
        .floorPatterns(List.of(NOISE))
        .floorColours(hex("#5d8a3c", "#7a9a4a", "#9b8560", "#c8b48a"))
        .wallPatterns(List.of(SOLID))
        .wallColours(hex("#a0a0a0"))
        .skyHorizon(Colours.parseHex("#cfe0ee")).skyZenith(Colours.parseHex("#5b8fd0"))
        .directionalLight(true).shadows(true)
        .minAmbient(0.25).maxAmbient(0.4);
  }

  private static SceneDomain.Builder tabletop() {
    return SceneDomain.builder()
        .name("tabletop")
        .categories(List.of(BALL, CUBE, DRUM, PILLAR, SLAB))
        .minObjects(2).maxObjects(6)
        .minObjectScale(0.25).maxObjectScale(0.35)
        .categoryColours(false)
        .objectPatterns(List.of(SOLID, CHECKER, STRIPES, NOISE))
        .minCameraHeight(0.45).maxCameraHeight(0.8)
        .minPitch(-45).maxPitch(-25).maxYaw(15)
        .minFov(45).maxFov(60)
        .minDistance(0.6).maxDistance(1.6)
        .backWallProbability(0.7).sideWallProbability(0)
        .floorPatterns(List.of(STRIPES, NOISE))
        .floorColours(hex("#a0703c", "#7a5230", "#c09060", "#d8d4cc"))
        .wallPatterns(List.of(SOLID))
        .wallColours(hex("#f0ece4", "#c8d4dc", "#e0e0e0"))
        .skyHorizon(Colours.parseHex("#e8e8e8")).skyZenith(Colours.parseHex("#c0c8d0"))
        .directionalLight(false).shadows(true)
        .minAmbient(0.3).maxAmbient(0.45);
  }

  private static SceneDomain.Builder mixed() {
    SceneDomain.Builder b = indoor();
    List<TexturePattern> floors = new ArrayList<>(List.of(CHECKER, STRIPES, NOISE, NOISE));
    List<Vec3> floorColours = new ArrayList<>(indoor().build().floorColours());
    floorColours.addAll(outdoor().build().floorColours());
    return b.name("mixed")
        .categories(Arrays.asList(ObjectCategory.values()))
        .minObjects(1).maxObjects(5)
        .minObjectScale(0.8).maxObjectScale(1.3)
        .objectPatterns(List.of(SOLID, SOLID, CHECKER, STRIPES, NOISE))
        .minCameraHeight(1.2).maxCameraHeight(2.5)
        .minPitch(-30).maxPitch(-8).maxYaw(30)
        .minFov(50).maxFov(75)
        .minDistance(2.0).maxDistance(8.0)
        .backWallProbability(0.5).sideWallProbability(0.3)
        .floorPatterns(floors)
        .floorColours(floorColours)
        .skyHorizon(Colours.parseHex("#cfe0ee")).skyZenith(Colours.parseHex("#5b8fd0"));
  }

  private static List<Vec3> hex(String... colours) {
    List<Vec3> out = new ArrayList<>();
    for (String c : colours) {
      out.add(Colours.parseHex(c));
    }
    return out;
  }
}
