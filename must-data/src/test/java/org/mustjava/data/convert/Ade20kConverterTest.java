package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.MultiTaskExample;

class Ade20kConverterTest {
  @TempDir Path dir;

  @Test
  void shiftsClassesAndIgnoresOther() throws IOException {
    Path prefix = dir.resolve("ade");
    // The parent of ADEChallengeData2016/ is accepted.
    ConversionJob job = Converted.run(new Ade20kConverter(), Fixtures.path("ade20k"), prefix);
    assertEquals(List.of("training", "validation"), job.results().stream().map(ConversionJob.SplitResult::split).toList());
    List<MultiTaskExample> train = Converted.read(prefix, "training");
    assertEquals(List.of("ADE_train_00000001", "ADE_train_00000002"), train.stream().map(MultiTaskExample::sourceId).toList());
    byte[] m = train.get(0).segmentation().orElseThrow();
    assertEquals(0, m[0], "annotation 1 (wall) -> class 0");
    assertEquals((byte) 255, m[3 * 8], "annotation 0 (other) -> 255");
    assertEquals((byte) 149, m[3 * 8 + 5], "annotation 150 -> class 149");
    assertEquals(2, Converted.read(prefix, "validation").get(0).segmentation().orElseThrow()[5 * 8 + 7]);
    assertEquals("label\tname\tsource_id\n0\twall\t1\n1\tbuilding;edifice\t2\n2\tsky\t3\n149\tflag\t150\n",
        Files.readString(job.labelsFile()));
  }

  @Test
  void badAnnotationsAreNamed() throws IOException {
    Path root = dir.resolve("ADEChallengeData2016");
    Files.createDirectories(root.resolve("images/validation"));
    Files.createDirectories(root.resolve("annotations/validation"));
    Files.copy(Fixtures.path("ade20k/ADEChallengeData2016/images/validation/ADE_val_00000001.jpg"),
        root.resolve("images/validation/ADE_val_00000001.jpg"));
    DatasetFormatException e = assertThrows(DatasetFormatException.class,
        () -> Converted.run(new Ade20kConverter(), root, dir.resolve("x")));
    assertEquals(root.resolve("annotations/validation/ADE_val_00000001.png"), e.file());

    BufferedImage mask = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
    mask.getRaster().setSample(2, 1, 0, 151);
    ImageIO.write(mask, "png", root.resolve("annotations/validation/ADE_val_00000001.png").toFile());
    e = assertThrows(DatasetFormatException.class, () -> Converted.run(new Ade20kConverter(), root, dir.resolve("x")));
    assertTrue(e.getMessage().endsWith("pixel (1, 2) has value 151, not in 0..150"), e.getMessage());
  }
}
