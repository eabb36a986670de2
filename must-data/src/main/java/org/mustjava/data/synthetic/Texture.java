package org.mustjava.data.synthetic;

/**
 * A procedural surface colour (linear RGB albedo in [0, 1]) evaluated at a point in the surface's
 * local frame, so patterns move and rotate with their object.
 *
 * @param pattern which pattern to draw
 * @param primary the main colour
 * @param secondary the second colour of checks, stripes or noise (unused by {@code SOLID})
 * @param scale cell size, band width or noise feature size, in metres
 * @param stripeAxis local axis (0 = x, 1 = y, 2 = z) across which stripes alternate
 * @param seed noise seed
 */
public record Texture(
    TexturePattern pattern, Vec3 primary, Vec3 secondary, double scale, int stripeAxis, long seed) {

  // Offsets keep pattern boundaries off the exact surfaces of canonical shapes (e.g. the ground at
  // y = 0), where rounding noise would otherwise flip the pattern from pixel to pixel.
  private static final double OFFSET_X = 0.2371, OFFSET_Y = 0.4129, OFFSET_Z = 0.1853;

  public Texture {
    if (!(scale > 0)) {
      throw new IllegalArgumentException("texture scale must be positive: " + scale);
    }
    if (stripeAxis < 0 || stripeAxis > 2) {
      throw new IllegalArgumentException("stripe axis must be 0, 1 or 2: " + stripeAxis);
    }
  }

  public static Texture solid(Vec3 colour) {
    return new Texture(TexturePattern.SOLID, colour, colour, 1, 0, 0);
  }

  /** Albedo at a local-frame point. */
  public Vec3 albedoAt(Vec3 p) {
    switch (pattern) {
      case SOLID:
        return primary;
      case CHECKER: {
        long cx = (long) Math.floor(p.x() / scale + OFFSET_X);
        long cy = (long) Math.floor(p.y() / scale + OFFSET_Y);
        long cz = (long) Math.floor(p.z() / scale + OFFSET_Z);
        return ((cx + cy + cz) & 1) == 0 ? primary : secondary;
      }
      case STRIPES: {
        double c = stripeAxis == 0 ? p.x() : stripeAxis == 1 ? p.y() : p.z();
        return (((long) Math.floor(c / scale + OFFSET_Y)) & 1) == 0 ? primary : secondary;
      }
      case NOISE: {
        double n = ValueNoise.fractal(seed, p.x() / scale, p.y() / scale, p.z() / scale);
        return primary.lerp(secondary, n);
      }
      default:
        throw new AssertionError(pattern);
    }
  }
}
