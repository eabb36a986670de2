package org.mustjava.data.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/**
 * Generated records for throughput measurements: smooth random colour fields with noise (so JPEG
 * sizes are realistic, not those of flat images), JPEG-encoded at quality 0.9, {@code 4:3} aspect
 * ratio, with every task's label at image resolution (raw float32 depth and normals, as pseudo
 * labels are stored). Content is meaningless; only sizes and codecs matter here.
 */
final class BenchmarkRecords {
  static final int NUM_CLASSES = 10;

  private BenchmarkRecords() {}

  /** Writes {@code count} examples of {@code width x (3/4 width)} pixels to {@code file}. */
  static void write(Path file, int width, int count, long seed) throws IOException {
    int height = Math.max(1, width * 3 / 4);
    Random random = new Random(seed);
    try (TFRecordWriter w = TFRecordWriter.create(file, Compression.NONE)) {
      for (int i = 0; i < count; i++) {
        w.write(example(random, height, width, i).toByteArray());
      }
      w.commit();
    }
  }

  private static MultiTaskExample example(Random random, int h, int w, int index) {
    byte[] rgb = new byte[h * w * 3];
    byte[] seg = new byte[h * w];
    float[] depth = new float[h * w];
    float[] normals = new float[h * w * 3];
    double[] phase = {random.nextDouble() * 6, random.nextDouble() * 6, random.nextDouble() * 6};
    double freq = 2 + random.nextDouble() * 6;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        double u = (double) x / w;
        double v = (double) y / h;
        for (int c = 0; c < 3; c++) {
          double s = Math.sin(freq * (u + c * 0.3) * Math.PI + phase[c]) * Math.cos(freq * v * Math.PI);
          int value = (int) (128 + 90 * s + random.nextGaussian() * 12);
          rgb[3 * p + c] = (byte) Math.max(0, Math.min(255, value));
        }
        seg[p] = (byte) ((x * 4 / w) + 4 * (y * 2 / h));
        depth[p] = (float) (1 + 4 * v + 0.5 * u);
        normals[3 * p + 2] = -1f;
      }
    }
    int n = 1 + random.nextInt(8);
    float[][] boxes = new float[n][];
    int[] classes = new int[n];
    for (int b = 0; b < n; b++) {
      float y0 = random.nextFloat() * 0.7f;
      float x0 = random.nextFloat() * 0.7f;
      boxes[b] = new float[] {y0, x0, y0 + 0.1f + random.nextFloat() * 0.2f, x0 + 0.1f + random.nextFloat() * 0.2f};
      classes[b] = random.nextInt(NUM_CLASSES);
    }
    return MultiTaskExample.builder(
            ImageCodecs.encodeRgbJpeg(rgb, h, w, 0.9f), FeatureKeys.FORMAT_JPEG, h, w)
        .sourceId("bench" + index)
        .classLabel(index % NUM_CLASSES)
        .boxes(ObjectBoxes.of(boxes, classes))
        .segmentation(seg)
        .depth(DepthMap.rawFloat32(depth, false))
        .normals(normals)
        .build();
  }
}
