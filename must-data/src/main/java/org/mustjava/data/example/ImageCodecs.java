package org.mustjava.data.example;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * PNG/JPEG encoding and decoding of the pixel layouts records use, through {@code javax.imageio}:
 * RGB (interleaved HxWx3 bytes), 8-bit gray (segmentation masks) and 16-bit gray (depth). Gray
 * values are read from the raster, never colour-converted, so masks round-trip exactly.
 */
public final class ImageCodecs {
  private ImageCodecs() {}

  /** Decoded pixels, row-major and channel-interleaved. */
  public record Pixels(int height, int width, int channels, byte[] data) {}

  /** PNG of interleaved RGB bytes (length 3*h*w). */
  public static byte[] encodeRgbPng(byte[] rgb, int height, int width) {
    return encode(rgbImage(rgb, height, width), "png", -1);
  }

  /** Baseline JPEG of interleaved RGB bytes at {@code quality} in [0, 1]. */
  public static byte[] encodeRgbJpeg(byte[] rgb, int height, int width, float quality) {
    return encode(rgbImage(rgb, height, width), "jpeg", quality);
  }

  /** 8-bit gray PNG (e.g. a segmentation mask); {@code gray.length == h*w}. */
  public static byte[] encodeGray8Png(byte[] gray, int height, int width) {
    checkLength(gray.length, height, width, 1);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    System.arraycopy(gray, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, gray.length);
    return encode(img, "png", -1);
  }

  /** 16-bit gray PNG; values are unsigned 16-bit (0..65535) stored in {@code char}s. */
  public static byte[] encodeGray16Png(char[] values, int height, int width) {
    checkLength(values.length, height, width, 1);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    short[] dst = ((DataBufferUShort) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < values.length; i++) {
      dst[i] = (short) values[i];
    }
    return encode(img, "png", -1);
  }

  /** Decodes any PNG/JPEG to RGB (gray and palette images are expanded, alpha dropped). */
  public static Pixels decodeRgb(byte[] encoded) {
    BufferedImage img = read(encoded);
    int h = img.getHeight();
    int w = img.getWidth();
    byte[] out = new byte[h * w * 3];
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      img.getRGB(0, y, w, 1, row, 0, w);
      for (int x = 0; x < w; x++) {
        int p = row[x];
        int o = (y * w + x) * 3;
        out[o] = (byte) (p >> 16);
        out[o + 1] = (byte) (p >> 8);
        out[o + 2] = (byte) p;
      }
    }
    return new Pixels(h, w, 3, out);
  }

  /** Decodes a single-channel 8-bit image (segmentation mask) exactly. */
  public static Pixels decodeGray8(byte[] encoded) {
    BufferedImage img = read(encoded);
    Raster r = img.getRaster();
    if (r.getNumBands() != 1 || r.getSampleModel().getSampleSize(0) != 8) {
      throw new IllegalArgumentException("expected an 8-bit single-channel image, got "
          + r.getNumBands() + " channel(s) of " + r.getSampleModel().getSampleSize(0) + " bits");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    int[] samples = r.getSamples(0, 0, w, h, 0, (int[]) null);
    byte[] out = new byte[h * w];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) samples[i];
    }
    return new Pixels(h, w, 1, out);
  }

  /** Decodes a single-channel 16-bit PNG; returns the unsigned values and fills {@code hw} with h, w. */
  public static char[] decodeGray16(byte[] encoded, int[] hw) {
    BufferedImage img = read(encoded);
    Raster r = img.getRaster();
    if (r.getNumBands() != 1 || r.getSampleModel().getSampleSize(0) != 16) {
      throw new IllegalArgumentException("expected a 16-bit single-channel PNG, got "
          + r.getNumBands() + " channel(s) of " + r.getSampleModel().getSampleSize(0) + " bits");
    }
    int h = img.getHeight();
    int w = img.getWidth();
    int[] samples = r.getSamples(0, 0, w, h, 0, (int[]) null);
    char[] out = new char[h * w];
    for (int i = 0; i < out.length; i++) {
      out[i] = (char) samples[i];
    }
    hw[0] = h;
    hw[1] = w;
    return out;
  }

  /** Height and width of an encoded image without decoding the pixels. */
  public static int[] dimensions(byte[] encoded) {
    try (var in = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("not a PNG or JPEG image (" + encoded.length + " bytes)");
      }
      javax.imageio.ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        return new int[] {reader.getHeight(0), reader.getWidth(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read image header: " + e.getMessage(), e);
    }
  }

  /** {@code "png"} or {@code "jpeg"} from the magic bytes, or null. */
  public static String sniffFormat(byte[] encoded) {
    if (encoded.length >= 8 && (encoded[0] & 0xff) == 0x89 && encoded[1] == 'P' && encoded[2] == 'N'
        && encoded[3] == 'G') {
      return FeatureKeys.FORMAT_PNG;
    }
    if (encoded.length >= 3 && (encoded[0] & 0xff) == 0xff && (encoded[1] & 0xff) == 0xd8
        && (encoded[2] & 0xff) == 0xff) {
      return FeatureKeys.FORMAT_JPEG;
    }
    return null;
  }

  private static BufferedImage rgbImage(byte[] rgb, int height, int width) {
    checkLength(rgb.length, height, width, 3);
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < rgb.length; i += 3) {
      dst[i] = rgb[i + 2];
      dst[i + 1] = rgb[i + 1];
      dst[i + 2] = rgb[i];
    }
    return img;
  }

  private static BufferedImage read(byte[] encoded) {
    try {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
      if (img == null) {
        throw new IllegalArgumentException("not a decodable PNG or JPEG image (" + encoded.length + " bytes)");
      }
      return img;
    } catch (IOException e) {
      throw new IllegalArgumentException("corrupt image: " + e.getMessage(), e);
    }
  }

  private static byte[] encode(BufferedImage img, String format, float quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName(format);
    if (!writers.hasNext()) {
      throw new IllegalStateException("no ImageIO writer for " + format);
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      if (quality >= 0) {
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
      }
      writer.write(null, new IIOImage(img, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory streams only fail on bugs
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static void checkLength(int length, int height, int width, int channels) {
    if (height <= 0 || width <= 0 || (long) height * width * channels != length) {
      throw new IllegalArgumentException("pixel array of length " + length + " does not match "
          + height + "x" + width + "x" + channels);
    }
  }
}
