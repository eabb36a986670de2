package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;

class ImageFolderConverterTest {
  @TempDir Path dir;

  private static void image(Path file, String format, int h, int w, int rgb) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    if (!ImageIO.write(img, format, file.toFile())) {
      throw new IOException("no writer for " + format);
    }
  }

  @Test
  void classFoldersInSortedOrder() throws IOException {
    Path in = dir.resolve("in");
    image(in.resolve("zebra/b.png"), "png", 3, 4, 0x102030);
    image(in.resolve("zebra/a.JPG"), "jpeg", 5, 6, 0x808080);
    image(in.resolve("ant/nested/c.bmp"), "bmp", 2, 2, 0xff0000);
    Files.writeString(in.resolve("ant/readme.txt"), "not an image");
    image(in.resolve("ant/.hidden.png"), "png", 1, 1, 0);
    Path prefix = dir.resolve("out/folder");
    ConversionJob job = Converted.run(new ImageFolderConverter(), in, prefix, 1, "val", Map.of());

    List<MultiTaskExample> ex = Converted.read(prefix, "val");
    assertEquals(List.of("ant/nested/c.bmp", "zebra/a.JPG", "zebra/b.png"), ex.stream().map(MultiTaskExample::sourceId).toList());
    assertEquals(List.of(0, 1, 1), ex.stream().map(e -> e.classLabel().getAsInt()).toList());
    // JPEG and PNG bytes are kept as they are; BMP is re-encoded as PNG.
    assertArrayEquals(Files.readAllBytes(in.resolve("zebra/a.JPG")), ex.get(1).encodedImage());
    assertEquals("jpeg", ex.get(1).imageFormat());
    assertEquals("png", ex.get(0).imageFormat());
    ImageCodecs.Pixels bmp = ImageCodecs.decodeRgb(ex.get(0).encodedImage());
    assertArrayEquals(new byte[] {(byte) 255, 0, 0}, java.util.Arrays.copyOf(bmp.data(), 3));
    assertEquals(5, ex.get(1).height());
    assertEquals(6, ex.get(1).width());
    assertEquals("label\tname\tsource_id\n0\tant\tant\n1\tzebra\tzebra\n", Files.readString(job.labelsFile()));
  }

  @Test
  void aClassListFixesTheIndices() throws IOException {
    Path in = dir.resolve("val");
    image(in.resolve("zebra/x.png"), "png", 2, 2, 0);
    Path classes = Files.writeString(dir.resolve("classes.txt"), "ant\nbee\nzebra\n");
    Path prefix = dir.resolve("v");
    Converted.run(new ImageFolderConverter(), in, prefix, 1, null, Map.of("labels", classes.toString()));
    assertEquals(2, Converted.read(prefix, "train").get(0).classLabel().getAsInt());

    image(in.resolve("wasp/y.png"), "png", 2, 2, 0);
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new ImageFolderConverter(), in, prefix, 1, null, Map.of("labels", classes.toString())));
    assertEquals(in.resolve("wasp"), e.file());
  }

  @Test
  void flatFolderIsUnlabelled() throws IOException {
    Path in = dir.resolve("flat");
    image(in.resolve("2.png"), "png", 2, 3, 0);
    image(in.resolve("1.jpg"), "jpeg", 2, 3, 0);
    Path prefix = dir.resolve("u");
    ConversionJob job = Converted.run(new ImageFolderConverter(), in, prefix);
    List<MultiTaskExample> ex = Converted.read(prefix, "train");
    assertEquals(List.of("1.jpg", "2.png"), ex.stream().map(MultiTaskExample::sourceId).toList());
    assertFalse(ex.get(0).classLabel().isPresent());
    assertFalse(Files.exists(job.labelsFile()));
  }

  @Test
  void badImagesAreNamed() throws IOException {
    Path in = dir.resolve("bad");
    image(in.resolve("cat/ok.png"), "png", 2, 2, 0);
    Files.write(in.resolve("cat/broken.jpg"), new byte[] {1, 2, 3, 4, 5});
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new ImageFolderConverter(), in, dir.resolve("b")));
    assertEquals(in.resolve("cat/broken.jpg"), e.file());
    assertTrue(Converted.shards(dir.resolve("b"), "train").isEmpty(), "no shard may be committed on failure");

    Path mixed = dir.resolve("mixed");
    image(mixed.resolve("cat/a.png"), "png", 2, 2, 0);
    image(mixed.resolve("stray.png"), "png", 2, 2, 0);
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new ImageFolderConverter(), mixed, dir.resolve("m")));
    assertEquals(mixed.resolve("stray.png"), e.file());
  }
}
