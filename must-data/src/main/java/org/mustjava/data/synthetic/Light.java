package org.mustjava.data.synthetic;

/**
 * The scene's single light.
 *
 * @param directional true for a sun-like light, false for a point light
 * @param vector for a directional light the unit direction towards the light; for a point light
 *     its position
 * @param intensity multiplier of the Lambert term (no distance fall-off, so scenes keep a
 *     predictable exposure)
 */
public record Light(boolean directional, Vec3 vector, double intensity) {

  public static Light point(Vec3 position, double intensity) {
    return new Light(false, position, intensity);
  }

  public static Light directional(Vec3 towardsLight, double intensity) {
    return new Light(true, towardsLight.normalized(), intensity);
  }
}
