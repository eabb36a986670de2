package org.mustjava.data.convert;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;

/**
 * An image file's bytes ready for {@code image/encoded}: JPEG and PNG files are kept byte for byte
 * (no re-encoding loss, and a deterministic output); other formats ImageIO can read (BMP, GIF) are
 * decoded and re-encoded as PNG. Size is read from the file's header.
 */
public record ImageFile(byte[] encoded, String format, int height, int width) {

  /** Reads {@code file}; a missing, unreadable or non-image file fails naming it. */
  public static ImageFile read(Path file) throws IOException {
    DatasetFormatException.requireFile(file, "image");
    byte[] bytes = Files.readAllBytes(file);
    String format = ImageCodecs.sniffFormat(bytes);
    try {
      if (format != null) {
        int[] hw = ImageCodecs.dimensions(bytes);
        return new ImageFile(bytes, format, hw[0], hw[1]);
      }
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
      if (img == null) {
        throw new DatasetFormatException(file, "not an image in a known format (" + bytes.length + " bytes)");
      }
      int h = img.getHeight();
      int w = img.getWidth();
      byte[] rgb = new byte[h * w * 3];
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          rgb[o] = (byte) (row[x] >> 16);
          rgb[o + 1] = (byte) (row[x] >> 8);
          rgb[o + 2] = (byte) row[x];
        }
      }
      return new ImageFile(ImageCodecs.encodeRgbPng(rgb, h, w), FeatureKeys.FORMAT_PNG, h, w);
    } catch (IllegalArgumentException e) {
      throw new DatasetFormatException(file, "unreadable image: " + e.getMessage(), e);
    }
  }

  /** Starts an example holding this image. */
  public MultiTaskExample.Builder toBuilder() {
    return MultiTaskExample.builder(encoded, format, height, width);
  }
}
