package org.mustjava.data.convert;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A class-index mask read from a single-channel PNG: a palette PNG (PASCAL VOC, labelme), where the
 * palette index is the class and the colours are only for display, or an 8-bit gray PNG (ADE20K).
 * The raw sample values are returned; colours are never looked at.
 */
final class IndexedMask {
  private IndexedMask() {}

  /** Reads the per-pixel indices (row-major, 0..255 as unsigned bytes); {@code hw} gets height, width. */
  static byte[] read(Path file, int[] hw) throws IOException {
    DatasetFormatException.requireFile(file, "segmentation mask");
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new DatasetFormatException(file, "unreadable PNG: " + e.getMessage(), e);
    }
    if (img == null) {
      throw new DatasetFormatException(file, "not a PNG image");
    }
    Raster raster = img.getRaster();
    boolean palette = img.getColorModel() instanceof IndexColorModel;
    if (raster.getNumBands() != 1 || raster.getSampleModel().getSampleSize(0) > 8) {
      throw new DatasetFormatException(file, "expected a palette or 8-bit gray PNG of class indices, found "
          + raster.getNumBands() + " channel(s) of " + raster.getSampleModel().getSampleSize(0) + " bits"
          + (palette ? "" : " (an RGB-coloured mask must first be mapped back to class indices)"));
    }
    int h = img.getHeight();
    int w = img.getWidth();
    int[] samples = raster.getSamples(0, 0, w, h, 0, (int[]) null);
    byte[] out = new byte[h * w];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) samples[i];
    }
    hw[0] = h;
    hw[1] = w;
    return out;
  }
}
