package org.mustjava.core.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.proto.Summary;
import org.tensorflow.types.TUint8;

/** Event files parse with TensorFlow's own TFRecord reader kernel and hold what was written. */
class SummaryWriterTest {
  @TempDir Path dir;

  @Test
  void scalarsImagesTextReadBackThroughTheTfKernel() throws Exception {
    Path file;
    try (SummaryWriter w = new SummaryWriter(dir.resolve("train"));
        TUint8 image = TUint8.tensorOf(Shape.of(1, 2, 3, 3))) {
      file = w.path();
      for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) for (int c = 0; c < 3; c++) image.setByte((byte) (40 * y + 10 * x + c), 0, y, x, c);
      w.scalars(Map.of("loss/total", 1.5, "learning_rate", 0.1), 10);
      w.scalar("loss/depth", 0.25, 20);
      w.image("input/image/0", PngImages.encode(image, 0), 20);
      w.preformattedText("operative_config", "Trainer.steps = 300\nResNet.depth = 18", 0);
      w.sessionStart(20);
      w.flush();
    }
    List<byte[]> records = TfRecordKernelReader.readAll(file);
    assertEquals(6, records.size());
    Event version = Event.parseFrom(records.get(0));
    assertEquals("brain.Event:2", version.getFileVersion());

    Event scalars = Event.parseFrom(records.get(1));
    assertEquals(10, scalars.getStep());
    Map<String, Float> values = new java.util.HashMap<>();
    for (Summary.Value v : scalars.getSummary().getValueList()) values.put(v.getTag(), v.getSimpleValue());
    assertEquals(Map.of("loss/total", 1.5f, "learning_rate", 0.1f), values);
    assertEquals(0.25f, Event.parseFrom(records.get(2)).getSummary().getValue(0).getSimpleValue());

    Summary.Value img = Event.parseFrom(records.get(3)).getSummary().getValue(0);
    assertEquals("input/image/0", img.getTag());
    assertEquals(2, img.getImage().getHeight());
    assertEquals(3, img.getImage().getWidth());
    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(img.getImage().getEncodedImageString().toByteArray()));
    assertEquals((40 * 1 + 10 * 2 + 0) << 16 | (40 * 1 + 10 * 2 + 1) << 8 | (40 * 1 + 10 * 2 + 2), decoded.getRGB(2, 1) & 0xffffff);

    Summary.Value text = Event.parseFrom(records.get(4)).getSummary().getValue(0);
    assertEquals("text", text.getMetadata().getPluginData().getPluginName());
    String md = text.getTensor().getStringVal(0).toString(StandardCharsets.UTF_8);
    assertTrue(md.contains("    Trainer.steps = 300\n"), md);

    Event start = Event.parseFrom(records.get(5));
    assertEquals(SessionLog.SessionStatus.START, start.getSessionLog().getStatus());
    assertEquals(20, start.getStep());
  }

  @Test
  void floatImagesAreClippedToUnitRange() throws Exception {
    try (var t = org.tensorflow.types.TFloat32.tensorOf(Shape.of(1, 1, 2, 1))) {
      t.setFloat(-1f, 0, 0, 0, 0);
      t.setFloat(2f, 0, 0, 1, 0);
      PngImages.Png png = PngImages.encode(t, 0);
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.bytes()));
      assertArrayEquals(new int[] {0, 255}, new int[] {img.getRaster().getSample(0, 0, 0), img.getRaster().getSample(1, 0, 0)});
    }
  }
}
