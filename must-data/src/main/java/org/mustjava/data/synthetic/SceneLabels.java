package org.mustjava.data.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mustjava.data.example.Box;

/**
 * Image-level labels derived from a rendered {@link SceneImage}: instance boxes and the image
 * class. Derived from the buffers, never from the scene geometry, so they agree with the masks
 * exactly (an object hidden behind another has no box).
 */
public final class SceneLabels {

  private SceneLabels() {}

  /**
   * Boxes of the instances with at least {@code minPixels} visible pixels and a box at least
   * {@code minSide} pixels high and wide, ordered by instance id.
   */
  public static List<InstanceBox> boxes(SceneImage image, int minPixels, int minSide) {
    int n = 0;
    for (int id : image.instance()) {
      n = Math.max(n, id);
    }
    int[] minRow = new int[n + 1], minCol = new int[n + 1], maxRow = new int[n + 1], maxCol = new int[n + 1];
    int[] count = new int[n + 1], classOf = new int[n + 1];
    Arrays.fill(minRow, Integer.MAX_VALUE);
    Arrays.fill(minCol, Integer.MAX_VALUE);
    Arrays.fill(maxRow, -1);
    Arrays.fill(maxCol, -1);
    int h = image.height(), w = image.width();
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        int id = image.instance()[r * w + c];
        if (id == 0) {
          continue;
        }
        count[id]++;
        classOf[id] = image.semanticAt(r, c);
        minRow[id] = Math.min(minRow[id], r);
        maxRow[id] = Math.max(maxRow[id], r);
        minCol[id] = Math.min(minCol[id], c);
        maxCol[id] = Math.max(maxCol[id], c);
      }
    }
    List<InstanceBox> boxes = new ArrayList<>();
    for (int id = 1; id <= n; id++) {
      if (count[id] < Math.max(1, minPixels)
          || maxRow[id] - minRow[id] + 1 < minSide
          || maxCol[id] - minCol[id] + 1 < minSide) {
        continue;
      }
      // Float coordinates: the records' type (so the box reads back unchanged).
      boxes.add(new InstanceBox(id, classOf[id], Box.ofYxyx(new float[] {
          (float) minRow[id] / h, (float) minCol[id] / w, (float) (maxRow[id] + 1) / h, (float) (maxCol[id] + 1) / w}),
          count[id]));
    }
    return boxes;
  }

  /**
   * The object class covering the most pixels (summed over its instances; ties go to the smaller
   * id), or -1 if no object is visible.
   */
  public static int imageClass(SceneImage image) {
    int[] pixels = new int[SceneClasses.NUM_CLASSES];
    for (byte b : image.semantic()) {
      int id = b & 0xff;
      if (SceneClasses.isObject(id)) {
        pixels[id]++;
      }
    }
    int best = -1;
    for (int id = SceneClasses.FIRST_OBJECT; id < pixels.length; id++) {
      if (pixels[id] > 0 && (best < 0 || pixels[id] > pixels[best])) {
        best = id;
      }
    }
    return best;
  }
}
