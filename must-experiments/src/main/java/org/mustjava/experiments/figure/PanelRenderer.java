package org.mustjava.experiments.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;

/**
 * Draws one image's predictions as a panel: a row of tiles with a title above each, and for a
 * classification prediction a caption line below with the top-k classes.
 *
 * <p>Tiles, left to right, only for the tasks predicted: {@code input} (the image);
 * {@code detection} (the image with each box scoring at least the threshold outlined in its class
 * colour and labelled "name score"); {@code segmentation} (the image with the class colours laid
 * over at 50 %, ignored pixels (255) left as the image); {@code depth} ({@link DepthColours}: near
 * yellow, far purple, normalised per image); {@code normals} ({@link NormalColours}). Every tile is
 * the image enlarged by the same whole factor (nearest neighbour) so that its longer side is at
 * most {@code tile_size}, and at least the image itself.
 *
 * <p>Colours are fixed ({@link ClassPalette}); text uses Java2D's default font, so a panel's
 * pixels are the same on every run of one JVM and font set.
 */
final class PanelRenderer {
  static final int TITLE_HEIGHT = 16;
  static final int CAPTION_HEIGHT = 18;
  static final int GAP = 4;
  static final int BACKGROUND = 0xffffff;
  static final float OVERLAY_ALPHA = 0.5f;
  /** The tile order; {@code input} comes first. Classification has a caption, not a tile. */
  static final List<LabelType> TILE_TASKS =
      List.of(LabelTypes.DETECTION, LabelTypes.SEGMENTATION, LabelTypes.DEPTH, LabelTypes.NORMALS);

  static {
    // Drawing needs no display (as ResultsChart).
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  private final List<String> classNames;
  private final float scoreThreshold;
  private final int topK;
  private final int tileSize;

  /**
   * @param classNames class id -> name (ids without a name are drawn as {@code class <id>})
   * @param scoreThreshold boxes scoring below it are not drawn
   * @param topK classes in the caption
   * @param tileSize the longest side a tile is enlarged to (never shrunk)
   */
  PanelRenderer(List<String> classNames, float scoreThreshold, int topK, int tileSize) {
    this.classNames = List.copyOf(classNames);
    this.scoreThreshold = scoreThreshold;
    this.topK = topK;
    this.tileSize = tileSize;
  }

  /** The tiles a panel has for {@code tasks}: {@code input} then one per predicted pixel/box task. */
  static List<String> tileNames(Set<LabelType> tasks) {
    List<String> names = new ArrayList<>(List.of("input"));
    for (LabelType t : TILE_TASKS) if (tasks.contains(t)) names.add(t.name());
    return names;
  }

  /** The enlargement of an {@code h x w} image's tiles. */
  int zoom(int height, int width) {
    return Math.max(1, tileSize / Math.max(height, width));
  }

  /** The panel's width and height for an {@code h x w} image and {@code tasks}. */
  int[] panelSize(int height, int width, Set<LabelType> tasks) {
    int z = zoom(height, width);
    int n = tileNames(tasks).size();
    int h = TITLE_HEIGHT + z * height + (tasks.contains(LabelTypes.CLASSIFICATION) ? CAPTION_HEIGHT : 0);
    return new int[] {n * z * width + (n - 1) * GAP, h};
  }

  /** The panel of one image's predictions for {@code tasks} (each must be in {@code e}). */
  BufferedImage render(MultiTaskExample e, Set<LabelType> tasks) {
    ImageCodecs.Pixels image = ImageCodecs.decodeRgb(e.encodedImage());
    if (image.height() != e.height() || image.width() != e.width()) {
      throw new IllegalArgumentException("image '" + e.sourceId() + "' decodes to " + image.height() + "x" + image.width()
          + " but its record says " + e.height() + "x" + e.width());
    }
    int h = image.height();
    int w = image.width();
    int z = zoom(h, w);
    List<String> names = tileNames(tasks);
    List<BufferedImage> tiles = new ArrayList<>();
    for (String name : names) tiles.add(tile(name, e, image, z));
    int[] size = panelSize(h, w, tasks);
    BufferedImage panel = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
    Graphics2D g = graphics(panel);
    try {
      g.setColor(new Color(BACKGROUND));
      g.fillRect(0, 0, size[0], size[1]);
      g.setColor(Color.BLACK);
      FontMetrics fm = g.getFontMetrics();
      for (int i = 0; i < tiles.size(); i++) {
        int x = i * (z * w + GAP);
        g.drawString(names.get(i), x + 2, (TITLE_HEIGHT + fm.getAscent() - fm.getDescent()) / 2);
        g.drawImage(tiles.get(i), x, TITLE_HEIGHT, null);
      }
      if (tasks.contains(LabelTypes.CLASSIFICATION)) {
        float[] p = e.classProbabilities().orElseThrow(() -> missing(e, "classification"));
        g.drawString(caption(p), 2, TITLE_HEIGHT + z * h + (CAPTION_HEIGHT + fm.getAscent() - fm.getDescent()) / 2);
      }
    } finally {
      g.dispose();
    }
    return panel;
  }

  private BufferedImage tile(String name, MultiTaskExample e, ImageCodecs.Pixels image, int z) {
    return switch (name) {
      case "input" -> enlarge(rgb(image), image.height(), image.width(), z);
      case "detection" -> boxes(image, e.boxes().orElseThrow(() -> missing(e, name)), z);
      case "segmentation" -> enlarge(segmentation(image, e.segmentation().orElseThrow(() -> missing(e, name))),
          image.height(), image.width(), z);
      case "depth" -> {
        DepthMap d = e.depth().orElseThrow(() -> missing(e, name));
        yield enlarge(DepthColours.colours(d.toFloats(image.height(), image.width()), d.type()), image.height(), image.width(), z);
      }
      case "normals" -> enlarge(NormalColours.colours(e.normals().orElseThrow(() -> missing(e, name))),
          image.height(), image.width(), z);
      default -> throw new IllegalArgumentException("no tile '" + name + "'");
    };
  }

  private static IllegalStateException missing(MultiTaskExample e, String task) {
    return new IllegalStateException("image '" + e.sourceId() + "' has no " + task + " prediction");
  }

  /** The image as packed RGB ints. */
  static int[] rgb(ImageCodecs.Pixels image) {
    byte[] d = image.data();
    int[] out = new int[image.height() * image.width()];
    for (int i = 0; i < out.length; i++) out[i] = ((d[3 * i] & 0xff) << 16) | ((d[3 * i + 1] & 0xff) << 8) | (d[3 * i + 2] & 0xff);
    return out;
  }

  /** The image with class colours over it at {@link #OVERLAY_ALPHA}; ignored pixels stay the image. */
  static int[] segmentation(ImageCodecs.Pixels image, byte[] classes) {
    int[] base = rgb(image);
    int[] out = new int[base.length];
    for (int i = 0; i < base.length; i++) {
      int c = classes[i] & 0xff;
      out[i] = c == FeatureKeys.SEGMENTATION_IGNORE ? base[i] : blend(base[i], ClassPalette.rgb(c), OVERLAY_ALPHA);
    }
    return out;
  }

  private static int blend(int under, int over, float alpha) {
    int r = Math.round(((under >> 16) & 0xff) * (1 - alpha) + ((over >> 16) & 0xff) * alpha);
    int g = Math.round(((under >> 8) & 0xff) * (1 - alpha) + ((over >> 8) & 0xff) * alpha);
    int b = Math.round((under & 0xff) * (1 - alpha) + (over & 0xff) * alpha);
    return (r << 16) | (g << 8) | b;
  }

  /** The enlarged image with the boxes scoring at least the threshold, best drawn last (on top). */
  BufferedImage boxes(ImageCodecs.Pixels image, ObjectBoxes boxes, int z) {
    int h = image.height();
    int w = image.width();
    BufferedImage out = enlarge(rgb(image), h, w, z);
    float[] scores = boxes.scores();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < boxes.size(); i++) if (scores == null || scores[i] >= scoreThreshold) order.add(i);
    order.sort((a, b) -> scores == null ? Integer.compare(a, b) : Float.compare(scores[a], scores[b]));
    Graphics2D g = graphics(out);
    try {
      g.setStroke(new BasicStroke(2f));
      FontMetrics fm = g.getFontMetrics();
      for (int i : order) {
        float[] b = boxes.box(i).toYxyx();
        int y0 = Math.round(b[0] * h * z);
        int x0 = Math.round(b[1] * w * z);
        int y1 = Math.round(b[2] * h * z);
        int x1 = Math.round(b[3] * w * z);
        Color c = new Color(ClassPalette.rgb(boxes.classes()[i]));
        g.setColor(c);
        g.drawRect(x0, y0, Math.max(1, x1 - x0 - 1), Math.max(1, y1 - y0 - 1));
        String label = className(boxes.classes()[i]) + (scores == null ? "" : String.format(Locale.ROOT, " %.2f", scores[i]));
        int tw = fm.stringWidth(label) + 4;
        int th = fm.getHeight();
        // Above the box when there is room, else inside its top edge.
        int ty = y0 - th >= 0 ? y0 - th : y0;
        g.fillRect(x0, ty, tw, th);
        g.setColor(textColour(c));
        g.drawString(label, x0 + 2, ty + fm.getAscent());
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  /** {@code top-k: name p, name p, ...} of a class distribution. */
  String caption(float[] probabilities) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < probabilities.length; i++) order.add(i);
    order.sort((a, b) -> probabilities[a] != probabilities[b] ? Float.compare(probabilities[b], probabilities[a]) : Integer.compare(a, b));
    StringBuilder s = new StringBuilder("top-" + Math.min(topK, order.size()) + ":");
    for (int k = 0; k < Math.min(topK, order.size()); k++) {
      int c = order.get(k);
      s.append(k == 0 ? " " : ", ").append(className(c)).append(String.format(Locale.ROOT, " %.2f", probabilities[c]));
    }
    return s.toString();
  }

  String className(int id) {
    return id >= 0 && id < classNames.size() ? classNames.get(id) : "class " + id;
  }

  private static Color textColour(Color background) {
    double luma = 0.299 * background.getRed() + 0.587 * background.getGreen() + 0.114 * background.getBlue();
    return luma > 140 ? Color.BLACK : Color.WHITE;
  }

  /** Packed RGB pixels (row-major h x w) enlarged z times by pixel repetition. */
  static BufferedImage enlarge(int[] rgb, int h, int w, int z) {
    BufferedImage out = new BufferedImage(w * z, h * z, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w * z];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) java.util.Arrays.fill(row, x * z, (x + 1) * z, rgb[y * w + x]);
      for (int k = 0; k < z; k++) out.setRGB(0, y * z + k, w * z, 1, row, 0, w * z);
    }
    return out;
  }

  private static Graphics2D graphics(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    // Crisp, reproducible pixels: no antialiasing of lines or text.
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
    return g;
  }
}
