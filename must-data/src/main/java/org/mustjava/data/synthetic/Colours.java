package org.mustjava.data.synthetic;

/** Colour conversions: config hex strings and HSV to the renderer's linear RGB. */
public final class Colours {

  private Colours() {}

  /**
   * Parses {@code "#rrggbb"} (sRGB, the leading '#' optional) into linear RGB, so a fully lit
   * surface of that albedo renders as the given colour.
   */
  public static Vec3 parseHex(String hex) {
    String s = hex.trim().startsWith("#") ? hex.trim().substring(1) : hex.trim();
    if (!s.matches("[0-9a-fA-F]{6}")) {
      throw new IllegalArgumentException("colour must be '#rrggbb': '" + hex + "'");
    }
    int v = Integer.parseInt(s, 16);
    return new Vec3(toLinear((v >> 16) & 0xff), toLinear((v >> 8) & 0xff), toLinear(v & 0xff));
  }

  /** The {@code "#rrggbb"} form of a linear colour (inverse of {@link #parseHex}, up to rounding). */
  public static String toHex(Vec3 linear) {
    return String.format("#%02x%02x%02x", toByte(linear.x()), toByte(linear.y()), toByte(linear.z()));
  }

  /** HSV (each in [0, 1], hue wrapping) to linear RGB, treating the HSV colour as sRGB. */
  public static Vec3 hsv(double hue, double saturation, double value) {
    double h = (hue - Math.floor(hue)) * 6;
    int sector = (int) Math.floor(h) % 6;
    double f = h - Math.floor(h);
    double p = value * (1 - saturation);
    double q = value * (1 - saturation * f);
    double t = value * (1 - saturation * (1 - f));
    double r, g, b;
    switch (sector) {
      case 0: r = value; g = t; b = p; break;
      case 1: r = q; g = value; b = p; break;
      case 2: r = p; g = value; b = t; break;
      case 3: r = p; g = q; b = value; break;
      case 4: r = t; g = p; b = value; break;
      default: r = value; g = p; b = q; break;
    }
    return new Vec3(toLinear(r * 255), toLinear(g * 255), toLinear(b * 255));
  }

  private static double toLinear(double srgb255) {
    return StrictMath.pow(srgb255 / 255.0, 2.2);
  }

  private static int toByte(double linear) {
    return (int) Math.round(255 * StrictMath.pow(Math.min(1, Math.max(0, linear)), 1 / 2.2));
  }
}
