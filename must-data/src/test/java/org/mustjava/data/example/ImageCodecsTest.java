package org.mustjava.data.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageCodecsTest {
  static byte[] gradientRgb(int h, int w) {
    byte[] rgb = new byte[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int o = (y * w + x) * 3;
        rgb[o] = (byte) (x * 255 / (w - 1));
        rgb[o + 1] = (byte) (y * 255 / (h - 1));
        rgb[o + 2] = (byte) 77;
      }
    }
    return rgb;
  }

  @Test
  void rgbPngIsLossless() {
    byte[] rgb = gradientRgb(5, 7);
    byte[] png = ImageCodecs.encodeRgbPng(rgb, 5, 7);
    assertEquals("png", ImageCodecs.sniffFormat(png));
    ImageCodecs.Pixels p = ImageCodecs.decodeRgb(png);
    assertEquals(5, p.height());
    assertEquals(7, p.width());
    assertArrayEquals(rgb, p.data());
    assertArrayEquals(new int[] {5, 7}, ImageCodecs.dimensions(png));
  }

  @Test
  void jpegIsCloseAtHighQuality() {
    byte[] rgb = gradientRgb(16, 16);
    byte[] jpg = ImageCodecs.encodeRgbJpeg(rgb, 16, 16, 0.95f);
    assertEquals("jpeg", ImageCodecs.sniffFormat(jpg));
    byte[] back = ImageCodecs.decodeRgb(jpg).data();
    double err = 0;
    for (int i = 0; i < rgb.length; i++) {
      err += Math.abs((rgb[i] & 0xff) - (back[i] & 0xff));
    }
    assertTrue(err / rgb.length < 4, "mean abs error " + err / rgb.length);
  }

  @Test
  void gray8AndGray16AreExact() {
    byte[] mask = {0, 1, 2, (byte) 254, (byte) 255, 7};
    assertArrayEquals(mask, ImageCodecs.decodeGray8(ImageCodecs.encodeGray8Png(mask, 2, 3)).data());
    char[] depth = {0, 1, 1000, 65535, 32768, 12345};
    int[] hw = new int[2];
    assertArrayEquals(depth, ImageCodecs.decodeGray16(ImageCodecs.encodeGray16Png(depth, 3, 2), hw));
    assertArrayEquals(new int[] {3, 2}, hw);
  }

  @Test
  void wrongKindsAreRejected() {
    byte[] rgbPng = ImageCodecs.encodeRgbPng(gradientRgb(2, 2), 2, 2);
    assertThrows(IllegalArgumentException.class, () -> ImageCodecs.decodeGray8(rgbPng));
    assertThrows(IllegalArgumentException.class, () -> ImageCodecs.decodeGray16(rgbPng, new int[2]));
    assertThrows(IllegalArgumentException.class, () -> ImageCodecs.decodeRgb(new byte[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> ImageCodecs.encodeGray8Png(new byte[5], 2, 3));
  }
}
