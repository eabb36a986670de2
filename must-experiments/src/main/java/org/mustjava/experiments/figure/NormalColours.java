package org.mustjava.experiments.figure;

/**
 * Surface normals as colours, the usual {@code (n + 1) / 2 -> RGB} of the normal in the OpenGL
 * camera frame (x right, y up, z towards the viewer): the records' OpenCV-frame normal (x, y, z)
 * (docs/tfrecord-features.md) is drawn as {@code ((x + 1) / 2, (-y + 1) / 2, (-z + 1) / 2)}, so a
 * surface facing the camera is light blue (128, 128, 255), the floor seen from above is green-ish
 * (up), a wall on the right facing left is dark red-ish. The same convention as the synthetic
 * scenes' preview ({@code ScenePreview.normals}). "No label" (0, 0, 0) is black.
 */
final class NormalColours {
  static final int NO_VALUE = 0x000000;

  private NormalColours() {}

  /** The RGB colour of one normal stored as (x, y, z) in the OpenCV camera frame. */
  static int rgb(float x, float y, float z) {
    if (!(Float.isFinite(x) && Float.isFinite(y) && Float.isFinite(z)) || (x == 0f && y == 0f && z == 0f)) return NO_VALUE;
    return (channel(x) << 16) | (channel(-y) << 8) | channel(-z);
  }

  private static int channel(float v) {
    return (int) Math.round(Math.min(1.0, Math.max(-1.0, v)) * 127.5 + 127.5);
  }

  /** Per pixel (row-major) the colour of an H x W x 3 normal map. */
  static int[] colours(float[] xyz) {
    int[] out = new int[xyz.length / 3];
    for (int i = 0; i < out.length; i++) out[i] = rgb(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]);
    return out;
  }
}
