package org.mustjava.models.metrics;

import java.util.List;
import java.util.Map;
import org.tensorflow.Tensor;

/**
 * Maps dense predictions made on the evaluation input back to the labels' original resolution, the
 * paper's protocol (mIoU, depth and normals are scored at the label's size, not the model's).
 *
 * <p>The evaluation input is the original image resized by {@code scale} (longer side fitted) and
 * padded at the bottom and right ({@code EvalPreprocessing.PAD}). For example {@code b} the image
 * occupies the top-left {@code rh x rw} of the prediction map, {@code rh = max(1, round(h *
 * scale))} in float32 with ties to even (TensorFlow's {@code Round}, what the pipeline computed), h
 * and w being {@code inputs/original_height} and {@code inputs/original_width}. That region is
 * resized to the label map's own size ({@code <labels>_original_size}, see {@code InputBatch}),
 * bilinearly for scores and continuous maps, by nearest neighbour for class ids, both with
 * half-pixel centres as TF2's resize.
 *
 * <p>Labels come from {@code <labels>_original} (padded to the batch's largest map; only each
 * map's own {@code [0, H') x [0, W')} is read).
 */
final class OriginalResolution {
  static final String HEIGHT = "inputs/original_height";
  static final String WIDTH = "inputs/original_width";
  static final String SCALE = "inputs/scale";
  private static final String SUFFIX = "_original";

  private OriginalResolution() {}

  /** The original-resolution tensor of an input-resolution one, e.g. {@code inputs/depth_original}. */
  static String original(String labels) {
    return labels + SUFFIX;
  }

  /** The size companion of a label tensor: {@code inputs/depth_original_size}. */
  static String size(String labels) {
    return labels + SUFFIX + "_size";
  }

  /** Geometry tensors a metric needs besides its predictions and labels. */
  static List<String> geometryTensors(String labels) {
    return List.of(HEIGHT, WIDTH, SCALE, size(labels));
  }

  /** One batch's geometry. */
  record Geometry(int[] height, int[] width, float[] scale, int[] labelSize) {
    static Geometry read(Map<String, Tensor> tensors, String labels, String metric) {
      Geometry g = new Geometry(
          TensorArrays.ints(TensorArrays.require(tensors, HEIGHT, metric), HEIGHT),
          TensorArrays.ints(TensorArrays.require(tensors, WIDTH, metric), WIDTH),
          TensorArrays.floats(TensorArrays.require(tensors, SCALE, metric), SCALE),
          TensorArrays.ints(TensorArrays.require(tensors, size(labels), metric), size(labels)));
      int b = g.height.length;
      if (g.width.length != b || g.scale.length != b || g.labelSize.length != 2 * b) {
        throw new IllegalArgumentException(metric + ": geometry tensors disagree on the batch size (" + b + ")");
      }
      return g;
    }

    int batch() {
      return height.length;
    }

    /** Rows of example b's prediction map that hold the image. */
    int resizedHeight(int b) {
      return resized(height[b], scale[b]);
    }

    int resizedWidth(int b) {
      return resized(width[b], scale[b]);
    }

    int labelHeight(int b) {
      return labelSize[2 * b];
    }

    int labelWidth(int b) {
      return labelSize[2 * b + 1];
    }
  }

  /** {@code max(1, round(length * scale))} in float32, ties to even, as the pipeline. */
  static int resized(int length, float scale) {
    float product = (float) length * scale;
    return Math.max(1, (int) Math.rint(product));
  }

  /**
   * Bilinear resize (half-pixel centres) of the top-left {@code rh x rw} region of one example's
   * {@code [mapH, mapW, channels]} map, starting at {@code offset} in {@code map}, to {@code [outH,
   * outW, channels]}.
   */
  static float[] bilinear(float[] map, int offset, int mapW, int channels, int rh, int rw, int outH, int outW) {
    float[] out = new float[outH * outW * channels];
    for (int y = 0; y < outH; y++) {
      double sy = clamp((y + 0.5) * rh / outH - 0.5, rh - 1);
      int y0 = (int) Math.floor(sy);
      int y1 = Math.min(y0 + 1, rh - 1);
      double fy = sy - y0;
      for (int x = 0; x < outW; x++) {
        double sx = clamp((x + 0.5) * rw / outW - 0.5, rw - 1);
        int x0 = (int) Math.floor(sx);
        int x1 = Math.min(x0 + 1, rw - 1);
        double fx = sx - x0;
        for (int c = 0; c < channels; c++) {
          double top = (1 - fx) * at(map, offset, mapW, channels, y0, x0, c) + fx * at(map, offset, mapW, channels, y0, x1, c);
          double bottom = (1 - fx) * at(map, offset, mapW, channels, y1, x0, c) + fx * at(map, offset, mapW, channels, y1, x1, c);
          out[(y * outW + x) * channels + c] = (float) ((1 - fy) * top + fy * bottom);
        }
      }
    }
    return out;
  }

  /** Nearest-neighbour resize (half-pixel centres) of the top-left {@code rh x rw} of an int map. */
  static int[] nearest(int[] map, int offset, int mapW, int rh, int rw, int outH, int outW) {
    int[] out = new int[outH * outW];
    for (int y = 0; y < outH; y++) {
      int sy = Math.min((int) Math.floor((y + 0.5) * rh / outH), rh - 1);
      for (int x = 0; x < outW; x++) {
        int sx = Math.min((int) Math.floor((x + 0.5) * rw / outW), rw - 1);
        out[y * outW + x] = map[offset + sy * mapW + sx];
      }
    }
    return out;
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  private static float at(float[] map, int offset, int mapW, int channels, int y, int x, int c) {
    return map[offset + (y * mapW + x) * channels + c];
  }

  /** Checks that example b's region fits the prediction map (the eval input). */
  static void checkRegion(String metric, int b, int rh, int rw, int mapH, int mapW) {
    if (rh > mapH || rw > mapW) {
      throw new IllegalArgumentException(metric + ": example " + b + " covers " + rh + "x" + rw
          + " input pixels but the prediction is " + mapH + "x" + mapW + " (was the eval pipeline's eval_resize 'pad'?)");
    }
  }
}
