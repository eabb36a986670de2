package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contact-sheet command line: one row per scene, usage errors exit 2. */
class ScenePreviewTest {
  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ScenePreview.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void writesOneRowPerScene() throws Exception {
    Path png = dir.resolve("sheet.png");
    assertEquals(0, run(png.toString(), "16", "1", "2", "indoor", "tabletop"), err.toString(StandardCharsets.UTF_8));
    BufferedImage sheet = ImageIO.read(png.toFile());
    // 2 domains x 2 scenes = 4 rows and 4 panels (rgb, depth, normals, semantic), each 16 px at zoom
    // 128 / 16 = 8, 2 px gaps.
    assertEquals(4 * (16 * 8 + 2) + 2, sheet.getHeight());
    assertEquals(4 * (16 * 8 + 2) + 2, sheet.getWidth());
  }

  @Test
  void badArgumentsExitWith2() {
    assertEquals(2, run(dir.resolve("a.png").toString(), "16", "1"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: expected OUTPUT.png SIZE SEED"), err.toString());
    err.reset();
    assertEquals(2, run(dir.resolve("a.png").toString(), "big", "1", "1", "indoor"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("SIZE must be a positive integer, got 'big'"), err.toString());
    err.reset();
    assertEquals(2, run(dir.resolve("a.png").toString(), "16", "1", "1", "moon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown scene domain 'moon'"), err.toString());
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("SCENES_PER_DOMAIN"));
  }
}
