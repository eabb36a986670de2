package org.mustjava.experiments.pseudolabel;

/**
 * Where an {@code h x w} image lands in a teacher's {@code S x S} input, and the way back.
 *
 * <p>With {@code keep_aspect} (the default) the image is resized by {@code scale = S / max(h, w)}
 * (computed in float32) to {@code round(h scale) x round(w scale)} pixels (rounded half to even,
 * like TensorFlow's {@code Round}) and padded at the bottom and on the right with the mean colour:
 * exactly what the project's evaluation pipeline feeds a model (see {@code InputBatch}, "Mapping
 * back"), so the project's own teachers see images as in their evaluation. Without it the image is
 * stretched to {@code S x S} (what many external models, e.g. MiDaS, expect).
 *
 * <p>Mapping back uses the resize's own per-axis factors: the valid region is the top-left
 * {@code resizedHeight x resizedWidth} input pixels, so a normalised input coordinate {@code y}
 * is {@code y * S / resizedHeight} of the original height.
 *
 * @param height original image height h
 * @param width original image width w
 * @param size the teacher's input size S
 * @param resizedHeight rows of the input that hold the image
 * @param resizedWidth columns of the input that hold the image
 */
public record InputGeometry(int height, int width, int size, int resizedHeight, int resizedWidth) {
  public InputGeometry {
    if (height < 1 || width < 1 || size < 1) {
      throw new IllegalArgumentException("empty image or input: " + height + "x" + width + " into " + size);
    }
  }

  /** The geometry for an {@code h x w} image and an {@code S x S} input. */
  public static InputGeometry of(int height, int width, int size, boolean keepAspect) {
    if (!keepAspect) return new InputGeometry(height, width, size, size, size);
    float scale = (float) size / (float) Math.max(height, width);
    int rh = Math.max(1, Math.min(size, (int) Math.rint(height * scale)));
    int rw = Math.max(1, Math.min(size, (int) Math.rint(width * scale)));
    return new InputGeometry(height, width, size, rh, rw);
  }

  /**
   * A box (ymin, xmin, ymax, xmax) normalised to the S x S input, normalised to the original
   * image and clipped to [0, 1] (a box reaching into the padding ends at the image border).
   */
  public float[] toOriginalNormalized(float[] inputBox) {
    float fy = (float) size / resizedHeight;
    float fx = (float) size / resizedWidth;
    return new float[] {clip(inputBox[0] * fy), clip(inputBox[1] * fx), clip(inputBox[2] * fy), clip(inputBox[3] * fx)};
  }

  /**
   * The rows and columns of a teacher's {@code outHeight x outWidth} dense output that cover the
   * image (the whole output when it is stretched; for outputs at the input resolution, exactly the
   * resized region).
   */
  public int[] validRegion(int outHeight, int outWidth) {
    int ch = (int) Math.max(1, Math.min(outHeight, Math.round((double) resizedHeight * outHeight / size)));
    int cw = (int) Math.max(1, Math.min(outWidth, Math.round((double) resizedWidth * outWidth / size)));
    return new int[] {ch, cw};
  }

  private static float clip(float v) {
    return Math.min(Math.max(v, 0f), 1f);
  }
}
