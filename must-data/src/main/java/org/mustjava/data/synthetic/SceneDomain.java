package org.mustjava.data.synthetic;

import java.util.List;

/**
 * The distribution synthetic scenes are drawn from: which object categories appear and how many,
 * their appearance, the backgrounds, the camera and the light. Different domains give the
 * teachers, the unlabelled set and the downstream tasks different distributions, as ImageNet,
 * Objects365, COCO and NYU differ in the paper. Every range is inclusive and uniform; lists are
 * sampled uniformly (repeat an entry to weight it). Angles are degrees, lengths metres.
 * Presets: {@link SceneDomains}; config binding: {@link SceneDomains#configure}.
 *
 * @param name identifies the domain in source ids and logs
 * @param categories object categories that may appear
 * @param minObjects fewest objects placed (at least one is always visible)
 * @param maxObjects most objects placed (fewer if they do not fit)
 * @param minObjectScale multiplier of the categories' sizes, lower bound
 * @param maxObjectScale multiplier of the categories' sizes, upper bound
 * @param categoryColours true: object hues follow their category's typical hue; false: any hue
 * @param objectPatterns texture patterns of objects
 * @param minCameraHeight camera height above the ground, lower bound
 * @param maxCameraHeight camera height above the ground, upper bound
 * @param minPitch camera pitch lower bound (negative looks down)
 * @param maxPitch camera pitch upper bound
 * @param maxYaw camera yaw is drawn from [-maxYaw, maxYaw]
 * @param minFov vertical field of view, lower bound
 * @param maxFov vertical field of view, upper bound
 * @param minDistance ground distance from the camera to object centres, lower bound
 * @param maxDistance ground distance from the camera to object centres, upper bound
 * @param backWallProbability chance of a wall behind the objects
 * @param sideWallProbability chance of walls left and right of the objects
 * @param floorPatterns texture patterns of the ground
 * @param floorColours ground colours (linear RGB)
 * @param wallPatterns texture patterns of walls
 * @param wallColours wall colours (linear RGB)
 * @param skyHorizon sky colour at the horizon (linear RGB)
 * @param skyZenith sky colour overhead (linear RGB)
 * @param directionalLight true: a sun at a random elevation; false: a point light above the scene
 * @param shadows whether shadows are cast
 * @param minAmbient ambient light fraction, lower bound
 * @param maxAmbient ambient light fraction, upper bound
 */
public record SceneDomain(
    String name,
    List<ObjectCategory> categories,
    int minObjects,
    int maxObjects,
    double minObjectScale,
    double maxObjectScale,
    boolean categoryColours,
    List<TexturePattern> objectPatterns,
    double minCameraHeight,
    double maxCameraHeight,
    double minPitch,
    double maxPitch,
    double maxYaw,
    double minFov,
    double maxFov,
    double minDistance,
    double maxDistance,
    double backWallProbability,
    double sideWallProbability,
    List<TexturePattern> floorPatterns,
    List<Vec3> floorColours,
    List<TexturePattern> wallPatterns,
    List<Vec3> wallColours,
    Vec3 skyHorizon,
    Vec3 skyZenith,
    boolean directionalLight,
    boolean shadows,
    double minAmbient,
    double maxAmbient) {

  public SceneDomain {
    categories = nonEmpty("categories", categories);
    objectPatterns = nonEmpty("objectPatterns", objectPatterns);
    floorPatterns = nonEmpty("floorPatterns", floorPatterns);
    floorColours = nonEmpty("floorColours", floorColours);
    wallPatterns = nonEmpty("wallPatterns", wallPatterns);
    wallColours = nonEmpty("wallColours", wallColours);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("domain name must not be empty");
    }
    if (minObjects < 1 || maxObjects < minObjects) {
      throw invalid("object count", minObjects, maxObjects, "need 1 <= minObjects <= maxObjects");
    }
    range("objectScale", minObjectScale, maxObjectScale, 1e-3, 100);
    range("cameraHeight", minCameraHeight, maxCameraHeight, 1e-3, 1000);
    range("pitch", minPitch, maxPitch, -85, 85);
    range("yaw", 0, maxYaw, 0, 180);
    range("fov", minFov, maxFov, 1, 150);
    range("distance", minDistance, maxDistance, 1e-3, 1e4);
    range("backWallProbability", backWallProbability, backWallProbability, 0, 1);
    range("sideWallProbability", sideWallProbability, sideWallProbability, 0, 1);
    range("ambient", minAmbient, maxAmbient, 0, 1);
  }

  /** A builder starting from this domain's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.name = name;
    b.categories = categories;
    b.minObjects = minObjects;
    b.maxObjects = maxObjects;
    b.minObjectScale = minObjectScale;
    b.maxObjectScale = maxObjectScale;
    b.categoryColours = categoryColours;
    b.objectPatterns = objectPatterns;
    b.minCameraHeight = minCameraHeight;
    b.maxCameraHeight = maxCameraHeight;
    b.minPitch = minPitch;
    b.maxPitch = maxPitch;
    b.maxYaw = maxYaw;
    b.minFov = minFov;
    b.maxFov = maxFov;
    b.minDistance = minDistance;
    b.maxDistance = maxDistance;
    b.backWallProbability = backWallProbability;
    b.sideWallProbability = sideWallProbability;
    b.floorPatterns = floorPatterns;
    b.floorColours = floorColours;
    b.wallPatterns = wallPatterns;
    b.wallColours = wallColours;
    b.skyHorizon = skyHorizon;
    b.skyZenith = skyZenith;
    b.directionalLight = directionalLight;
    b.shadows = shadows;
    b.minAmbient = minAmbient;
    b.maxAmbient = maxAmbient;
    return b;
  }

  /** An empty builder; every value must be set before {@link Builder#build()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Mutable form of a domain, for presets and overrides; {@link #build()} validates. */
  public static final class Builder {
    private String name;
    private List<ObjectCategory> categories;
    private Integer minObjects;
    private Integer maxObjects;
    private Double minObjectScale;
    private Double maxObjectScale;
    private Boolean categoryColours;
    private List<TexturePattern> objectPatterns;
    private Double minCameraHeight;
    private Double maxCameraHeight;
    private Double minPitch;
    private Double maxPitch;
    private Double maxYaw;
    private Double minFov;
    private Double maxFov;
    private Double minDistance;
    private Double maxDistance;
    private Double backWallProbability;
    private Double sideWallProbability;
    private List<TexturePattern> floorPatterns;
    private List<Vec3> floorColours;
    private List<TexturePattern> wallPatterns;
    private List<Vec3> wallColours;
    private Vec3 skyHorizon;
    private Vec3 skyZenith;
    private Boolean directionalLight;
    private Boolean shadows;
    private Double minAmbient;
    private Double maxAmbient;

    private Builder() {}

    public Builder name(String value) {
      this.name = value;
      return this;
    }

    public Builder categories(List<ObjectCategory> value) {
      this.categories = value;
      return this;
    }

    public Builder minObjects(int value) {
      this.minObjects = value;
      return this;
    }

    public Builder maxObjects(int value) {
      this.maxObjects = value;
      return this;
    }

    public Builder minObjectScale(double value) {
      this.minObjectScale = value;
      return this;
    }

    public Builder maxObjectScale(double value) {
      this.maxObjectScale = value;
      return this;
    }

    public Builder categoryColours(boolean value) {
      this.categoryColours = value;
      return this;
    }

    public Builder objectPatterns(List<TexturePattern> value) {
      this.objectPatterns = value;
      return this;
    }

    public Builder minCameraHeight(double value) {
      this.minCameraHeight = value;
      return this;
    }

    public Builder maxCameraHeight(double value) {
      this.maxCameraHeight = value;
      return this;
    }

    public Builder minPitch(double value) {
      this.minPitch = value;
      return this;
    }

    public Builder maxPitch(double value) {
      this.maxPitch = value;
      return this;
    }

    public Builder maxYaw(double value) {
      this.maxYaw = value;
      return this;
    }

    public Builder minFov(double value) {
      this.minFov = value;
      return this;
    }

    public Builder maxFov(double value) {
      this.maxFov = value;
      return this;
    }

    public Builder minDistance(double value) {
      this.minDistance = value;
      return this;
    }

    public Builder maxDistance(double value) {
      this.maxDistance = value;
      return this;
    }

    public Builder backWallProbability(double value) {
      this.backWallProbability = value;
      return this;
    }

    public Builder sideWallProbability(double value) {
      this.sideWallProbability = value;
      return this;
    }

    public Builder floorPatterns(List<TexturePattern> value) {
      this.floorPatterns = value;
      return this;
    }

    public Builder floorColours(List<Vec3> value) {
      this.floorColours = value;
      return this;
    }

    public Builder wallPatterns(List<TexturePattern> value) {
      this.wallPatterns = value;
      return this;
    }

    public Builder wallColours(List<Vec3> value) {
      this.wallColours = value;
      return this;
    }

    public Builder skyHorizon(Vec3 value) {
      this.skyHorizon = value;
      return this;
    }

    public Builder skyZenith(Vec3 value) {
      this.skyZenith = value;
      return this;
    }

    public Builder directionalLight(boolean value) {
      this.directionalLight = value;
      return this;
    }

    public Builder shadows(boolean value) {
      this.shadows = value;
      return this;
    }

    public Builder minAmbient(double value) {
      this.minAmbient = value;
      return this;
    }

    public Builder maxAmbient(double value) {
      this.maxAmbient = value;
      return this;
    }

    /** The domain; throws naming the first missing or invalid value. */
    public SceneDomain build() {
      return new SceneDomain(
          require("name", name),
          require("categories", categories),
          require("minObjects", minObjects),
          require("maxObjects", maxObjects),
          require("minObjectScale", minObjectScale),
          require("maxObjectScale", maxObjectScale),
          require("categoryColours", categoryColours),
          require("objectPatterns", objectPatterns),
          require("minCameraHeight", minCameraHeight),
          require("maxCameraHeight", maxCameraHeight),
          require("minPitch", minPitch),
          require("maxPitch", maxPitch),
          require("maxYaw", maxYaw),
          require("minFov", minFov),
          require("maxFov", maxFov),
          require("minDistance", minDistance),
          require("maxDistance", maxDistance),
          require("backWallProbability", backWallProbability),
          require("sideWallProbability", sideWallProbability),
          require("floorPatterns", floorPatterns),
          require("floorColours", floorColours),
          require("wallPatterns", wallPatterns),
          require("wallColours", wallColours),
          require("skyHorizon", skyHorizon),
          require("skyZenith", skyZenith),
          require("directionalLight", directionalLight),
          require("shadows", shadows),
          require("minAmbient", minAmbient),
          require("maxAmbient", maxAmbient));
    }

    private static <T> T require(String what, T value) {
      if (value == null) {
        throw new IllegalArgumentException("domain value '" + what + "' is not set");
      }
      return value;
    }
  }

  private static <T> List<T> nonEmpty(String what, List<T> list) {
    if (list == null || list.isEmpty()) {
      throw new IllegalArgumentException("domain " + what + " must not be empty");
    }
    return List.copyOf(list);
  }

  private static void range(String what, double lo, double hi, double min, double max) {
    if (!(lo >= min && hi <= max && lo <= hi)) {
      throw invalid(what, lo, hi, "need " + min + " <= min <= max <= " + max);
    }
  }

  private static IllegalArgumentException invalid(String what, double lo, double hi, String rule) {
    return new IllegalArgumentException(
        "invalid domain " + what + " range [" + lo + ", " + hi + "]: " + rule);
  }
}
