package org.mustjava.core.summary;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/** PNG encoding of one image of an {@code [N, H, W, C]} batch (C = 1 or 3), for image summaries. */
public final class PngImages {
  private PngImages() {}

  /** An encoded image and its size. */
  public record Png(byte[] bytes, int height, int width, int channels) {}

  /**
   * Encodes image {@code index} of {@code batch}: uint8 as is, float32 taken as [0, 1] (clipped).
   */
  public static Png encode(Tensor batch, int index) {
    Shape s = batch.shape();
    if (s.numDimensions() != 4 || (s.get(3) != 1 && s.get(3) != 3)) {
      throw new IllegalArgumentException("an image batch is [N, H, W, 1 or 3], got " + s);
    }
    int h = (int) s.get(1);
    int w = (int) s.get(2);
    int c = (int) s.get(3);
    if (index < 0 || index >= s.get(0)) throw new IndexOutOfBoundsException("image " + index + " of " + s);
    BufferedImage img = new BufferedImage(w, h, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (c == 1) {
          img.getRaster().setSample(x, y, 0, value(batch, index, y, x, 0));
        } else {
          int rgb = (value(batch, index, y, x, 0) << 16) | (value(batch, index, y, x, 1) << 8) | value(batch, index, y, x, 2);
          img.setRGB(x, y, rgb);
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Png(out.toByteArray(), h, w, c);
  }

  private static int value(Tensor t, int n, int y, int x, int ch) {
    if (t instanceof TUint8 u) return u.getByte(n, y, x, ch) & 0xff;
    if (t instanceof TFloat32 f) {
      float v = f.getFloat(n, y, x, ch);
      if (Float.isNaN(v)) return 0;
      return Math.round(Math.max(0f, Math.min(1f, v)) * 255f);
    }
    throw new IllegalArgumentException("image summaries take uint8 or float32 images, got " + t.dataType());
  }
}
