package org.mustjava.experiments.figure;

import org.mustjava.data.example.DepthType;

/**
 * Depth maps as colours, normalised per image: viridis (perceptually uniform, readable in grey),
 * with the nearest pixel of the image yellow ({@code #fde725}, warm) and the farthest dark purple
 * ({@code #440154}, cool), linear in the map's own values in between: metres for metric depth,
 * the value itself for relative depth, and for inverse (relative) depth the larger value is the
 * nearer. Pixels without a value (non-finite; 0 or less for metric depth) are black.
 *
 * <p>The colour scale is viridis sampled at nine stops (0, 1/8, ..., 1; the values R's
 * {@code viridisLite::viridis(9)} gives), linear in RGB between stops.
 */
final class DepthColours {
  private static final int[] STOPS = {
      0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21908c, 0x27ad81, 0x5dc863, 0xaadc32, 0xfde725};
  static final int NO_VALUE = 0x000000;

  private DepthColours() {}

  /** The colour of {@code t} in [0, 1] (clamped): 0 = far (purple), 1 = near (yellow). */
  static int viridis(double t) {
    double x = Math.min(1.0, Math.max(0.0, t)) * (STOPS.length - 1);
    int i = Math.min(STOPS.length - 2, (int) Math.floor(x));
    double f = x - i;
    int a = STOPS[i];
    int b = STOPS[i + 1];
    int r = mix(a >> 16, b >> 16, f);
    int g = mix(a >> 8, b >> 8, f);
    int bl = mix(a, b, f);
    return (r << 16) | (g << 8) | bl;
  }

  private static int mix(int a, int b, double f) {
    return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
  }

  /** Per pixel (row-major) the RGB colour of {@code values} of the given type, normalised over this map. */
  static int[] colours(float[] values, DepthType type) {
    boolean inverse = type == DepthType.INVERSE_RELATIVE;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float v : values) {
      if (!valid(v, type)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      float v = values[i];
      if (!valid(v, type)) {
        out[i] = NO_VALUE;
        continue;
      }
      // A flat map is drawn mid-scale rather than dividing by zero.
      double t = max > min ? (v - min) / (max - min) : 0.5;
      out[i] = viridis(inverse ? t : 1 - t);
    }
    return out;
  }

  private static boolean valid(float v, DepthType type) {
    return Float.isFinite(v) && (type != DepthType.METRIC || v > 0f);
  }
}
