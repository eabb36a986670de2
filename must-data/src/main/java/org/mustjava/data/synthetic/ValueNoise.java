package org.mustjava.data.synthetic;

/**
 * Seeded 3D value noise: pseudo-random values on the integer lattice, hashed from the lattice
 * coordinates and the seed (so it is stateless and thread-safe), smoothly interpolated between.
 */
public final class ValueNoise {

  private ValueNoise() {}

  /** Two octaves of value noise at {@code p}, in [0, 1]. */
  public static double fractal(long seed, double x, double y, double z) {
    return (2.0 * sample(seed, x, y, z) + sample(seed + 1, 2.03 * x, 2.03 * y, 2.03 * z)) / 3.0;
  }

  /** One octave of value noise in [0, 1]. */
  public static double sample(long seed, double x, double y, double z) {
    double fx = Math.floor(x), fy = Math.floor(y), fz = Math.floor(z);
    long ix = (long) fx, iy = (long) fy, iz = (long) fz;
    double u = smooth(x - fx), v = smooth(y - fy), w = smooth(z - fz);
    double c000 = lattice(seed, ix, iy, iz), c100 = lattice(seed, ix + 1, iy, iz);
    double c010 = lattice(seed, ix, iy + 1, iz), c110 = lattice(seed, ix + 1, iy + 1, iz);
    double c001 = lattice(seed, ix, iy, iz + 1), c101 = lattice(seed, ix + 1, iy, iz + 1);
    double c011 = lattice(seed, ix, iy + 1, iz + 1), c111 = lattice(seed, ix + 1, iy + 1, iz + 1);
    double x00 = c000 + (c100 - c000) * u, x10 = c010 + (c110 - c010) * u;
    double x01 = c001 + (c101 - c001) * u, x11 = c011 + (c111 - c011) * u;
    double y0 = x00 + (x10 - x00) * v, y1 = x01 + (x11 - x01) * v;
    return y0 + (y1 - y0) * w;
  }

  private static double smooth(double t) {
    return t * t * (3 - 2 * t);
  }

  /** A value in [0, 1) from a 64-bit mix (SplitMix64 finaliser) of the lattice point and seed. */
  private static double lattice(long seed, long x, long y, long z) {
    long h = seed ^ (x * 0x9E3779B97F4A7C15L) ^ (y * 0xC2B2AE3D27D4EB4FL) ^ (z * 0x165667B19E3779F9L);
    h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
    h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53;
  }
}
