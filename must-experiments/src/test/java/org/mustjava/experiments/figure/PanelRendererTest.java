package org.mustjava.experiments.figure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.DepthType;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;

/** The panel's tiles: where boxes go, what the overlays and maps show, one tile per task. */
class PanelRendererTest {
  static final int H = 32;
  static final int W = 32;
  static final int GREY = 0x808080;
  static final List<String> NAMES = List.of("background", "floor", "wall", "chair", "lamp");

  private static ImageCodecs.Pixels grey() {
    byte[] rgb = new byte[H * W * 3];
    java.util.Arrays.fill(rgb, (byte) 0x80);
    return new ImageCodecs.Pixels(H, W, 3, rgb);
  }

  private static byte[] greyPng() {
    return ImageCodecs.encodeRgbPng(grey().data(), H, W);
  }

  private static int rgb(BufferedImage im, int x, int y) {
    return im.getRGB(x, y) & 0xffffff;
  }

  @Test
  void tilesAreTheInputThenOnePerPredictedTaskInAFixedOrder() {
    assertEquals(List.of("input", "depth"), PanelRenderer.tileNames(Set.of(LabelTypes.CLASSIFICATION, LabelTypes.DEPTH)));
    assertEquals(List.of("input", "detection", "segmentation", "depth", "normals"),
        PanelRenderer.tileNames(LabelTypes.all()));
  }

  @Test
  void boxesAboveTheThresholdAreOutlinedInTheirClassColourWhereTheyAre() {
    PanelRenderer r = new PanelRenderer(NAMES, 0.5f, 3, 64); // 32 px images: tiles enlarged 2x
    ObjectBoxes boxes = ObjectBoxes.withScores(new float[][] {{0.25f, 0.5f, 0.75f, 1.0f}, {0f, 0f, 0.5f, 0.25f}},
        new int[] {3, 4}, new float[] {0.9f, 0.2f});
    BufferedImage tile = r.boxes(grey(), boxes, 2);
    assertEquals(64, tile.getWidth());
    assertEquals(64, tile.getHeight());
    int chair = ClassPalette.rgb(3);
    // The kept box spans rows 16..48 and columns 32..64 of the 2x tile: its left and bottom edges
    // (a 2 px pen on the outline) are the class colour, its inside is the image.
    assertTrue(rgb(tile, 32, 40) == chair || rgb(tile, 31, 40) == chair, Integer.toHexString(rgb(tile, 32, 40)));
    assertTrue(rgb(tile, 48, 47) == chair || rgb(tile, 48, 46) == chair, Integer.toHexString(rgb(tile, 48, 47)));
    assertEquals(GREY, rgb(tile, 48, 32));
    // Its label sits on a class-coloured strip just above it.
    assertEquals(chair, rgb(tile, 33, 15));
    // The box scoring 0.2 is not drawn: its corner region stays the image.
    for (int y = 0; y < 32; y++) assertEquals(GREY, rgb(tile, 0, y), "row " + y);
    // Outside every box the image is untouched.
    assertEquals(GREY, rgb(tile, 10, 60));
  }

  @Test
  void segmentationIsAHalfOverlayWithIgnoredPixelsTransparent() {
    byte[] classes = new byte[H * W];
    java.util.Arrays.fill(classes, (byte) 255);
    classes[0] = 2;
    int[] out = PanelRenderer.segmentation(grey(), classes);
    // 0x80 grey under 0xffe119 (class 2) at 50 %: (191.5, 176.5, 76.5) rounded half up.
    assertEquals(ClassPalette.rgb(2), 0xffe119);
    assertEquals(0xc0b14d, out[0]);
    assertEquals(GREY, out[1]);
  }

  @Test
  void captionListsTheTopClassesByProbability() {
    PanelRenderer r = new PanelRenderer(NAMES, 0.5f, 2, 64);
    assertEquals("top-2: floor 0.60, wall 0.30", r.caption(new float[] {0.1f, 0.6f, 0.3f}));
    assertEquals("top-2: class 7 0.90, background 0.10", r.caption(new float[] {0.1f, 0, 0, 0, 0, 0, 0, 0.9f}));
  }

  @Test
  void aPanelHasATileForEachTaskPresentAndTheCaption() {
    float[] depth = new float[H * W];
    float[] normals = new float[H * W * 3];
    byte[] seg = new byte[H * W];
    for (int i = 0; i < H * W; i++) {
      depth[i] = 1f + (i / W); // nearer at the top
      normals[3 * i + 2] = -1f; // facing the camera
      seg[i] = (byte) (i % W < W / 2 ? 1 : 255);
    }
    MultiTaskExample e = MultiTaskExample.builder(greyPng(), "png", H, W).sourceId("grey")
        .classProbabilities(new float[] {0.1f, 0.2f, 0.7f, 0f, 0f})
        .boxes(ObjectBoxes.withScores(new float[][] {{0.25f, 0.25f, 0.75f, 0.75f}}, new int[] {3}, new float[] {0.8f}))
        .segmentation(seg).depth(DepthMap.rawFloat32(depth, DepthType.METRIC)).normals(normals).build();
    PanelRenderer r = new PanelRenderer(NAMES, 0.5f, 3, 64);
    Set<LabelType> all = LabelTypes.all();
    BufferedImage panel = r.render(e, all);
    int tile = 64;
    int step = tile + PanelRenderer.GAP;
    assertEquals(5 * tile + 4 * PanelRenderer.GAP, panel.getWidth());
    assertEquals(PanelRenderer.TITLE_HEIGHT + tile + PanelRenderer.CAPTION_HEIGHT, panel.getHeight());
    int y = PanelRenderer.TITLE_HEIGHT;
    assertEquals(GREY, rgb(panel, 5, y + 5)); // input
    // detection: the box's left edge at column 16 of the 2x tile
    assertTrue(rgb(panel, step + 16, y + 40) == ClassPalette.rgb(3) || rgb(panel, step + 15, y + 40) == ClassPalette.rgb(3));
    assertEquals(GREY, rgb(panel, step + 32, y + 32)); // inside the box
    assertNotEquals(GREY, rgb(panel, 2 * step + 5, y + 5)); // segmentation: class 1 on the left half
    assertEquals(GREY, rgb(panel, 2 * step + 60, y + 5)); // ignored on the right half
    assertEquals(0xfde725, rgb(panel, 3 * step + 5, y)); // depth: nearest row yellow
    assertEquals(0x440154, rgb(panel, 3 * step + 5, y + tile - 1)); // farthest row purple
    assertEquals(0x8080ff, rgb(panel, 4 * step + 5, y + 5)); // normals facing the camera
    assertEquals(PanelRenderer.BACKGROUND, rgb(panel, tile + 1, y + 5)); // the gap between tiles

    // Only depth predicted: the input and the depth tile, no caption.
    MultiTaskExample d = MultiTaskExample.builder(greyPng(), "png", H, W).depth(DepthMap.rawFloat32(depth, DepthType.METRIC)).build();
    BufferedImage small = r.render(d, Set.of(LabelTypes.DEPTH));
    assertEquals(2 * tile + PanelRenderer.GAP, small.getWidth());
    assertEquals(PanelRenderer.TITLE_HEIGHT + tile, small.getHeight());
    assertEquals(0xfde725, rgb(small, step + 5, y));
  }
}
