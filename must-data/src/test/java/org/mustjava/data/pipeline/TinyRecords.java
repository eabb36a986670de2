package org.mustjava.data.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/**
 * Tiny multi-task examples whose every value is known: example {@code i} is a {@value #H}x{@value
 * #W} PNG with pixel (y, x) = (10 i + y, x, 7) per channel, class {@code i % 3}, {@code i % 4}
 * boxes with classes {@code b + i} (box 1 difficult, box 2 a crowd), segmentation (y + x + i) % 5, depth 1 + x + 0.5 i with pixel (0,0)
 * NaN, normals (1, 0, 0) left half and (0, 0, -1) right half.
 */
final class TinyRecords {
  static final int H = 6;
  static final int W = 8;
  static final int CLASSES = 3;

  private TinyRecords() {}

  static MultiTaskExample example(int i) {
    byte[] rgb = new byte[H * W * 3];
    byte[] seg = new byte[H * W];
    float[] depth = new float[H * W];
    float[] normals = new float[H * W * 3];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        int p = y * W + x;
        rgb[3 * p] = (byte) (10 * i + y);
        rgb[3 * p + 1] = (byte) x;
        rgb[3 * p + 2] = 7;
        seg[p] = (byte) ((y + x + i) % 5);
        depth[p] = 1f + x + 0.5f * i;
        if (x < W / 2) {
          normals[3 * p] = 1f;
        } else {
          normals[3 * p + 2] = -1f;
        }
      }
    }
    depth[0] = Float.NaN;
    int n = i % 4; // 0..3 boxes
    float[][] boxes = new float[n][];
    int[] classes = new int[n];
    boolean[] difficult = new boolean[n];
    boolean[] crowd = new boolean[n];
    for (int b = 0; b < n; b++) {
      boxes[b] = new float[] {0.1f * b, 0.25f, 0.1f * b + 0.5f, 0.75f};
      classes[b] = b + i;
      difficult[b] = b == 1;
      crowd[b] = b == 2;
    }
    float[] probs = new float[CLASSES];
    probs[i % CLASSES] = 0.7f;
    probs[(i + 1) % CLASSES] = 0.3f;
    return MultiTaskExample.builder(
            ImageCodecs.encodeRgbPng(rgb, H, W), FeatureKeys.FORMAT_PNG, H, W)
        .sourceId("img" + i)
        .classLabel(i % CLASSES)
        .classProbabilities(probs)
        .boxes(ObjectBoxes.of(boxes, classes, null, difficult, crowd))
        .segmentation(seg)
        .depth(DepthMap.rawFloat32(depth, false))
        .normals(normals)
        .build();
  }

  /** Writes examples {@code from .. to-1} to {@code file}. */
  static Path write(Path file, int from, int to, Compression compression) throws IOException {
    try (TFRecordWriter w = TFRecordWriter.create(file, compression)) {
      for (int i = from; i < to; i++) {
        w.write(example(i).toByteArray());
      }
      w.commit();
    }
    return file;
  }

  static Path write(Path file, int from, int to) throws IOException {
    return write(file, from, to, Compression.NONE);
  }
}
