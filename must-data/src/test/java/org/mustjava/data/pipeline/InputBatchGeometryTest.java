package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/** {@code original_height}, {@code original_width} and {@code scale} map outputs back to the image. */
class InputBatchGeometryTest {
  private static final int S = 16;
  /** Image sizes (h, w): upscaled, portrait with a fractional scale, downscaled. */
  private static final int[][] SIZES = {{6, 8}, {10, 4}, {7, 3}, {20, 30}};
  /** The one box of every example, normalised (ymin, xmin, ymax, xmax). */
  private static final float[] BOX = {0.25f, 0.5f, 0.75f, 1.0f};

  @TempDir Path dir;

  /** Example {@code i}: an image of SIZES[i], segmentation class 1 everywhere, one box. */
  private static byte[] example(int i) {
    int h = SIZES[i][0];
    int w = SIZES[i][1];
    byte[] rgb = new byte[h * w * 3];
    java.util.Arrays.fill(rgb, (byte) 200);
    byte[] seg = new byte[h * w];
    java.util.Arrays.fill(seg, (byte) 1);
    return MultiTaskExample.builder(ImageCodecs.encodeRgbPng(rgb, h, w), FeatureKeys.FORMAT_PNG, h, w)
        .sourceId(Integer.toString(i))
        .classLabel(0)
        .boxes(ObjectBoxes.of(new float[][] {BOX}, new int[] {0}))
        .segmentation(seg)
        .build()
        .toByteArray();
  }

  private List<String> files() throws IOException {
    Path file = dir.resolve("sizes.tfrecord");
    try (TFRecordWriter w = TFRecordWriter.create(file)) {
      for (int i = 0; i < SIZES.length; i++) {
        w.write(example(i));
      }
      w.commit();
    }
    return List.of(file.toString());
  }

  @Test
  void evalBatchesCarryOriginalSizeAndScaleThatMapPredictionsBack() throws IOException {
    InputPipeline pipeline =
        InputPipeline.builder(files(), Set.of(LabelTypes.DETECTION, LabelTypes.SEGMENTATION))
            .training(false).batchSize(SIZES.length).imageSize(S).build();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      assertArrayEquals(new long[] {-1}, f.batch.originalHeight().shape().asArray());
      assertArrayEquals(new long[] {-1}, f.batch.scale().shape().asArray());
      try (BatchFetcher.Fetched b = f.next()) {
        TString ids = b.get(InputBatch.SOURCE_ID);
        TInt32 heights = b.get(InputBatch.ORIGINAL_HEIGHT);
        TInt32 widths = b.get(InputBatch.ORIGINAL_WIDTH);
        TFloat32 scales = b.get(InputBatch.SCALE);
        TInt32 seg = b.get(InputBatch.SEGMENTATION);
        TFloat32 boxes = b.get(InputBatch.BOXES);
        for (int k = 0; k < SIZES.length; k++) {
          int i = Integer.parseInt(ids.getObject(k));
          int h = SIZES[i][0];
          int w = SIZES[i][1];
          assertEquals(h, heights.getInt(k), "original_height of " + i);
          assertEquals(w, widths.getInt(k), "original_width of " + i);
          float scale = scales.getFloat(k);
          // The longer side becomes S: the fit factor, computed as the pipeline does in float32.
          assertEquals(Math.min((float) S / h, (float) S / w), scale, 0f, "scale of " + i);

          // The image occupies exactly round(h * scale) x round(w * scale) at the top left
          // (TF's Round is half-to-even, like Math.rint); the rest is padding (255).
          int validH = (int) Math.rint((float) h * scale);
          int validW = (int) Math.rint((float) w * scale);
          assertTrue(validH == S || validW == S, "the longer side fills the output");
          for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
              int expected = y < validH && x < validW ? 1 : 255;
              assertEquals(expected, seg.getInt(k, y, x), "segmentation of " + i + " at " + y + "," + x);
            }
          }

          // A box on the S x S input maps back to original pixels as box * S / scale; exact
          // along the longer side, within the rounding of the shorter one (< 0.5 input pixel).
          float[] originalPixels = {BOX[0] * h, BOX[1] * w, BOX[2] * h, BOX[3] * w};
          for (int c = 0; c < 4; c++) {
            float back = boxes.getFloat(k, 0, c) * S / scale;
            assertEquals(originalPixels[c], back, 0.5f / scale + 1e-4f, "box coordinate " + c + " of " + i);
          }
        }
      }
      assertThrows(TFOutOfRangeException.class, f::next);
    }
  }

  @Test
  void trainingBatchesCarryTheSizeAndTheJitteredScale() throws IOException {
    InputPipeline pipeline =
        InputPipeline.builder(files(), Set.of(LabelTypes.CLASSIFICATION))
            .batchSize(4).imageSize(S).scaleJitter(0.5f, 2.0f).seed(5L).build();
    boolean sawZoomIn = false;
    boolean sawZoomOut = false;
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      assertArrayEquals(new long[] {4}, f.batch.originalWidth().shape().asArray());
      for (int step = 0; step < 4; step++) {
        try (BatchFetcher.Fetched b = f.next()) {
          TString ids = b.get(InputBatch.SOURCE_ID);
          TInt32 heights = b.get(InputBatch.ORIGINAL_HEIGHT);
          TInt32 widths = b.get(InputBatch.ORIGINAL_WIDTH);
          TFloat32 scales = b.get(InputBatch.SCALE);
          for (int k = 0; k < 4; k++) {
            int i = Integer.parseInt(ids.getObject(k));
            assertEquals(SIZES[i][0], heights.getInt(k));
            assertEquals(SIZES[i][1], widths.getInt(k));
            float fit = Math.min((float) S / SIZES[i][0], (float) S / SIZES[i][1]);
            float jitter = scales.getFloat(k) / fit;
            assertTrue(jitter >= 0.5f - 1e-5f && jitter <= 2.0f + 1e-5f, "jitter " + jitter);
            sawZoomIn |= jitter > 1.1f;
            sawZoomOut |= jitter < 0.9f;
          }
        }
      }
    }
    assertTrue(sawZoomIn && sawZoomOut, "16 draws from [0.5, 2.0] include zooms both ways");
  }
}
