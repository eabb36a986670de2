package org.mustjava.data.synthetic;

/**
 * The per-pixel outputs of rendering one scene, row-major from the top-left pixel. Arrays are
 * owned by this object; callers must not modify them.
 *
 * <ul>
 *   <li>{@code rgb}: {@code height * width * 3} sRGB bytes (gamma 2.2), RGB order.
 *   <li>{@code depth}: metric z-depth in metres, the distance from the camera centre to the surface
 *       point along the optical axis (not along the ray); 0 where the ray hits nothing (invalid).
 *   <li>{@code normals}: {@code height * width * 3} unit surface normals in the OpenCV camera
 *       frame (x right, y down, z forward into the scene), turned to face the camera (so z < 0);
 *       (0, 0, 0) where invalid.
 *   <li>{@code semantic}: class ids of {@link SceneClasses} (0 = background).
 *   <li>{@code instance}: 1-based object instance ids, 0 for stuff and background.
 * </ul>
 */
public record SceneImage(
    int height, int width, byte[] rgb, float[] depth, float[] normals, byte[] semantic, int[] instance) {

  public SceneImage {
    int n = height * width;
    if (rgb.length != 3 * n || depth.length != n || normals.length != 3 * n
        || semantic.length != n || instance.length != n) {
      throw new IllegalArgumentException("buffer sizes do not match " + height + "x" + width);
    }
  }

  /** Semantic class id at a pixel, as an unsigned value. */
  public int semanticAt(int row, int col) {
    return semantic[row * width + col] & 0xff;
  }

  public float depthAt(int row, int col) {
    return depth[row * width + col];
  }

  /** Camera-frame normal at a pixel. */
  public Vec3 normalAt(int row, int col) {
    int i = 3 * (row * width + col);
    return new Vec3(normals[i], normals[i + 1], normals[i + 2]);
  }
}
