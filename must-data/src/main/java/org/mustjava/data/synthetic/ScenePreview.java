package org.mustjava.data.synthetic;

import com.beust.jcommander.Parameter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import javax.imageio.ImageIO;
import org.mustjava.core.cli.CommandLine;

/**
 * Visualisations of rendered scenes for humans: inverse depth as grey levels (near = bright),
 * normals as colours (red = right, green = up, blue = towards the camera), semantic masks with a fixed palette, instance boxes drawn on the
 * RGB image, and a contact sheet with one row per scene.
 */
public final class ScenePreview {

  private ScenePreview() {}

  /** The command line: positional arguments only. */
  static final class Flags {
    @Parameter(description = "OUTPUT.png SIZE SEED SCENES_PER_DOMAIN DOMAIN...", splitter = CommandLine.WholeValue.class)
    List<String> arguments = new ArrayList<>();
  }

  /**
   * Writes a contact sheet: {@code ScenePreview OUTPUT.png SIZE SEED SCENES_PER_DOMAIN DOMAIN...}
   * renders scenes {@code 0..n-1} of each domain (2x2 anti-aliasing), one row per scene. The
   * figure in {@code docs/img/synthetic_scenes.png} was made with
   * {@code ScenePreview docs/img/synthetic_scenes.png 64 1 2 indoor outdoor tabletop mixed}.
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Flags flags = new Flags();
    CommandLine commandLine = new CommandLine("ScenePreview",
        "ScenePreview OUTPUT.png SIZE SEED SCENES_PER_DOMAIN DOMAIN...: writes a contact sheet of scenes\n"
            + "0..SCENES_PER_DOMAIN-1 of each domain (SIZE x SIZE, 2x2 anti-aliasing), one row per scene.",
        "0 written, 1 failure while writing, 2 usage error", flags);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    List<String> a = flags.arguments;
    if (a.size() < 5) {
      return commandLine.usageError("expected OUTPUT.png SIZE SEED SCENES_PER_DOMAIN DOMAIN..., got " + a.size()
          + " argument(s)", err);
    }
    List<SyntheticScene> scenes = new ArrayList<>();
    int size;
    try {
      size = positiveInt("SIZE", a.get(1));
      long seed = Long.parseLong(a.get(2));
      int perDomain = positiveInt("SCENES_PER_DOMAIN", a.get(3));
      for (String domain : a.subList(4, a.size())) {
        SceneGenerator g = new SceneGenerator(SceneDomains.named(domain), size, size, seed, 2, 6, 2);
        for (int i = 0; i < perDomain; i++) {
          scenes.add(g.generate(i));
        }
      }
    } catch (NumberFormatException e) {
      return commandLine.usageError("SEED must be an integer, got '" + a.get(2) + "'", err);
    } catch (IllegalArgumentException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    Path output = Path.of(a.get(0));
    try {
      writePng(contactSheet(scenes, Math.max(1, 128 / size)), output);
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot write " + output + ": " + e);
      return CommandLine.FAILURE;
    }
    out.println("wrote " + output);
    return CommandLine.OK;
  }

  private static int positiveInt(String name, String value) {
    try {
      int x = Integer.parseInt(value);
      if (x >= 1) return x;
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive integer, got '" + value + "'");
  }

  public static BufferedImage rgb(SceneImage image) {
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    byte[] rgb = image.rgb();
    for (int p = 0; p < image.height() * image.width(); p++) {
      out.setRGB(p % image.width(), p / image.width(),
          ((rgb[3 * p] & 0xff) << 16) | ((rgb[3 * p + 1] & 0xff) << 8) | (rgb[3 * p + 2] & 0xff));
    }
    return out;
  }

  /** The RGB image with each box outlined in its class colour. */
  public static BufferedImage rgbWithBoxes(SceneImage image, List<InstanceBox> boxes) {
    BufferedImage out = rgb(image);
    int h = image.height(), w = image.width();
    for (InstanceBox b : boxes) {
      int colour = classColour(b.classId());
      float[] yxyx = b.box().toYxyx();
      int r0 = Math.round(yxyx[0] * h), r1 = Math.round(yxyx[2] * h) - 1;
      int c0 = Math.round(yxyx[1] * w), c1 = Math.round(yxyx[3] * w) - 1;
      for (int c = c0; c <= c1; c++) {
        out.setRGB(c, r0, colour);
        out.setRGB(c, r1, colour);
      }
      for (int r = r0; r <= r1; r++) {
        out.setRGB(c0, r, colour);
        out.setRGB(c1, r, colour);
      }
    }
    return out;
  }

  /** Inverse depth scaled to the image's range; invalid pixels dark red. */
  public static BufferedImage depth(SceneImage image) {
    float max = 0, min = Float.MAX_VALUE;
    for (float d : image.depth()) {
      if (d > 0) {
        max = Math.max(max, d);
        min = Math.min(min, d);
      }
    }
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < image.depth().length; p++) {
      float d = image.depth()[p];
      int rgb;
      if (d > 0) {
        double v = max > min ? (1 / d - 1 / max) / (1 / min - 1 / max) : 1;
        int g = (int) Math.round(30 + 225 * v);
        rgb = (g << 16) | (g << 8) | g;
      } else {
        rgb = 0x400000;
      }
      out.setRGB(p % image.width(), p / image.width(), rgb);
    }
    return out;
  }

  /** Normals as {@code (v + 1) / 2} colours of v = (x, -y, -z): red = right, green = up, blue = to the camera. */
  public static BufferedImage normals(SceneImage image) {
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    float[] n = image.normals();
    for (int p = 0; p < image.depth().length; p++) {
      int r = channel(n[3 * p]), g = channel(-n[3 * p + 1]), b = channel(-n[3 * p + 2]);
      boolean valid = n[3 * p] != 0 || n[3 * p + 1] != 0 || n[3 * p + 2] != 0;
      out.setRGB(p % image.width(), p / image.width(), valid ? (r << 16) | (g << 8) | b : 0);
    }
    return out;
  }

  public static BufferedImage semantic(SceneImage image) {
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < image.semantic().length; p++) {
      out.setRGB(p % image.width(), p / image.width(), classColour(image.semantic()[p] & 0xff));
    }
    return out;
  }

  /** One row per scene: RGB with boxes, depth, normals, semantic mask; {@code zoom} x enlarged. */
  public static BufferedImage contactSheet(List<SyntheticScene> scenes, int zoom) {
    int h = scenes.get(0).image().height(), w = scenes.get(0).image().width();
    int gap = 2;
    BufferedImage sheet = new BufferedImage(4 * (w * zoom + gap) + gap,
        scenes.size() * (h * zoom + gap) + gap, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < scenes.size(); i++) {
      SyntheticScene s = scenes.get(i);
      BufferedImage[] panels = {
          rgbWithBoxes(s.image(), s.boxes()), depth(s.image()), normals(s.image()), semantic(s.image())};
      for (int j = 0; j < panels.length; j++) {
        int x0 = gap + j * (w * zoom + gap), y0 = gap + i * (h * zoom + gap);
        for (int y = 0; y < h * zoom; y++) {
          for (int x = 0; x < w * zoom; x++) {
            sheet.setRGB(x0 + x, y0 + y, panels[j].getRGB(x / zoom, y / zoom));
          }
        }
      }
    }
    return sheet;
  }

  /** Writes a PNG atomically (temporary name, then rename). */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static int channel(float v) {
    return (int) Math.round(Math.max(0, Math.min(255, (v + 1) * 127.5)));
  }

  /** Fixed colours: background black, floor grey-brown, wall light grey, objects distinct hues. */
  static int classColour(int classId) {
    switch (classId) {
      case SceneClasses.BACKGROUND:
        return 0x000000;
      case SceneClasses.FLOOR:
        return 0x6b5a48;
      case SceneClasses.WALL:
        return 0xb0b0b0;
      default:
        int k = classId - SceneClasses.FIRST_OBJECT;
        int[] palette = {0xe6194b, 0x4363d8, 0xf58231, 0x911eb4, 0x42d4f4, 0xffe119, 0x3cb44b,
            0xf032e6, 0xbfef45, 0x469990};
        return palette[Math.floorMod(k, palette.length)];
    }
  }
}
