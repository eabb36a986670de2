package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Simple synthetic detection scenes for tests: a noisy grey background with 1..maxObjects
 * non-overlapping shapes; class 1 = red rectangle, class 2 = green disk, class 3 = blue rectangle
 * (colours jittered). Boxes are normalised (ymin, xmin, ymax, xmax), tight around the shapes.
 */
final class SyntheticScenes {
  static final int NUM_CLASSES = 3;

  /** A batch: images [B][H][W][3] in [0, 1], boxes [B][maxObjects][4], classes, counts. */
  record Batch(float[][][][] images, float[][][] boxes, int[][] classes, int[] counts) {}

  private final int size;
  private final int maxObjects;
  private final int minSide;
  private final int maxSide;

  SyntheticScenes(int size, int maxObjects, int minSide, int maxSide) {
    this.size = size;
    this.maxObjects = maxObjects;
    this.minSide = minSide;
    this.maxSide = maxSide;
  }

  Batch batch(Random random, int batchSize) {
    float[][][][] images = new float[batchSize][size][size][3];
    float[][][] boxes = new float[batchSize][maxObjects][4];
    int[][] classes = new int[batchSize][maxObjects];
    int[] counts = new int[batchSize];
    for (int b = 0; b < batchSize; b++) {
      float base = 0.35f + 0.3f * random.nextFloat();
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          for (int c = 0; c < 3; c++) images[b][y][x][c] = base + 0.08f * (random.nextFloat() - 0.5f);
        }
      }
      int wanted = 1 + random.nextInt(maxObjects);
      List<int[]> placed = new ArrayList<>();
      for (int attempt = 0; attempt < 50 && placed.size() < wanted; attempt++) {
        int h = minSide + random.nextInt(maxSide - minSide + 1);
        int w = minSide + random.nextInt(maxSide - minSide + 1);
        int y0 = random.nextInt(size - h + 1);
        int x0 = random.nextInt(size - w + 1);
        int[] box = {y0, x0, y0 + h, x0 + w};
        boolean free = true;
        for (int[] p : placed) {
          if (box[0] < p[2] + 2 && p[0] < box[2] + 2 && box[1] < p[3] + 2 && p[1] < box[3] + 2) free = false;
        }
        if (!free) continue;
        int cls = 1 + random.nextInt(NUM_CLASSES);
        float[] colour = switch (cls) {
          case 1 -> new float[] {0.9f, 0.15f, 0.1f};
          case 2 -> new float[] {0.1f, 0.85f, 0.2f};
          default -> new float[] {0.15f, 0.2f, 0.95f};
        };
        for (int c = 0; c < 3; c++) colour[c] += 0.1f * (random.nextFloat() - 0.5f);
        int minY = Integer.MAX_VALUE, minX = Integer.MAX_VALUE, maxY = -1, maxX = -1;
        double cy = (box[0] + box[2]) / 2.0;
        double cx = (box[1] + box[3]) / 2.0;
        for (int y = box[0]; y < box[2]; y++) {
          for (int x = box[1]; x < box[3]; x++) {
            if (cls == 2) {
              double dy = (y + 0.5 - cy) / (h / 2.0);
              double dx = (x + 0.5 - cx) / (w / 2.0);
              if (dy * dy + dx * dx > 1) continue;
            }
            images[b][y][x] = colour.clone();
            minY = Math.min(minY, y);
            minX = Math.min(minX, x);
            maxY = Math.max(maxY, y + 1);
            maxX = Math.max(maxX, x + 1);
          }
        }
        int k = placed.size();
        boxes[b][k] = new float[] {minY / (float) size, minX / (float) size, maxY / (float) size, maxX / (float) size};
        classes[b][k] = cls;
        placed.add(box);
      }
      counts[b] = placed.size();
    }
    return new Batch(images, boxes, classes, counts);
  }
}
