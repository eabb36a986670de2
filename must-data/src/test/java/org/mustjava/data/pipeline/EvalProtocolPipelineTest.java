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
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * The evaluation pipeline's support for the paper's protocol: dense labels at their original
 * resolution ({@code original_labels}) and the classification centre crop ({@code eval_resize}).
 */
class EvalProtocolPipelineTest {
  private static final int S = 8;
  /** Non-square sizes of different shapes, none equal to the model input. */
  private static final int[][] SIZES = {{6, 10}, {12, 5}, {3, 7}};

  @TempDir Path dir;

  private static int segLabel(int y, int x) {
    return (y * 7 + x) % 4 == 3 ? 255 : (y + x) % 3;
  }

  private static float depth(int y, int x) {
    return (y + x) % 5 == 0 ? 0f : 1 + 0.1f * y + 0.01f * x;
  }

  private List<String> files() throws IOException {
    Path file = dir.resolve("sizes.tfrecord");
    try (TFRecordWriter w = TFRecordWriter.create(file)) {
      for (int i = 0; i < SIZES.length; i++) {
        int h = SIZES[i][0];
        int wd = SIZES[i][1];
        byte[] rgb = new byte[h * wd * 3];
        byte[] seg = new byte[h * wd];
        float[] d = new float[h * wd];
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < wd; x++) {
            seg[y * wd + x] = (byte) segLabel(y, x);
            d[y * wd + x] = depth(y, x);
            for (int c = 0; c < 3; c++) rgb[(y * wd + x) * 3 + c] = (byte) (20 * x);
          }
        }
        w.write(MultiTaskExample.builder(ImageCodecs.encodeRgbPng(rgb, h, wd), FeatureKeys.FORMAT_PNG, h, wd)
            .sourceId(Integer.toString(i)).classLabel(0).segmentation(seg)
            .depth(DepthMap.rawFloat32(d, false)).build().toByteArray());
      }
      w.commit();
    }
    return List.of(file.toString());
  }

  @Test
  void originalLabelsArePaddedToTheBatchMaximumWithTheirSizes() throws IOException {
    InputPipeline pipeline = InputPipeline.builder(files(), Set.of(LabelTypes.SEGMENTATION, LabelTypes.DEPTH))
        .training(false).batchSize(SIZES.length).imageSize(S).originalLabels(true).build();
    try (BatchFetcher f = new BatchFetcher(pipeline); BatchFetcher.Fetched b = f.next()) {
      TInt32 seg = b.get(InputBatch.SEGMENTATION_ORIGINAL);
      TInt32 segSize = b.get(InputBatch.SEGMENTATION_ORIGINAL_SIZE);
      TFloat32 depth = b.get(InputBatch.DEPTH_ORIGINAL);
      TFloat32 valid = b.get(InputBatch.DEPTH_VALID_ORIGINAL);
      TInt32 depthSize = b.get(InputBatch.DEPTH_ORIGINAL_SIZE);
      TString ids = b.get(InputBatch.SOURCE_ID);
      // Largest height 12, largest width 10.
      assertArrayEquals(new long[] {3, 12, 10}, seg.shape().asArray());
      assertArrayEquals(new long[] {3, 12, 10}, depth.shape().asArray());
      for (int k = 0; k < SIZES.length; k++) {
        int i = Integer.parseInt(ids.getObject(k));
        int h = SIZES[i][0];
        int w = SIZES[i][1];
        assertEquals(h, segSize.getInt(k, 0));
        assertEquals(w, segSize.getInt(k, 1));
        assertEquals(h, depthSize.getInt(k, 0));
        assertEquals(w, depthSize.getInt(k, 1));
        for (int y = 0; y < 12; y++) {
          for (int x = 0; x < 10; x++) {
            boolean inside = y < h && x < w;
            assertEquals(inside ? segLabel(y, x) : 255, seg.getInt(k, y, x), "example " + i + " at " + y + "," + x);
            float d = inside ? depth(y, x) : 0f;
            assertEquals(d, depth.getFloat(k, y, x), 0f);
            assertEquals(d > 0 ? 1f : 0f, valid.getFloat(k, y, x), 0f);
          }
        }
      }
    }
  }

  @Test
  void centreCropFitsTheShorterSideAndCutsTheMiddleOfTheLongerOne() throws IOException {
    InputPipeline pipeline = InputPipeline.builder(files(), Set.of(LabelTypes.CLASSIFICATION))
        .training(false).batchSize(1).imageSize(S).evalResize("center_crop").build();
    try (BatchFetcher f = new BatchFetcher(pipeline); BatchFetcher.Fetched b = f.next()) {
      // Example 0 is 6 x 10, column x has grey level 20 x: the shorter side 6 becomes 8 (scale
      // 4/3, resized 8 x 13), and the window starts at floor(0.5 * (13 - 8 + 1)) = 3 of 13 columns.
      TFloat32 image = b.get(InputBatch.IMAGE);
      TFloat32 scale = b.get(InputBatch.SCALE);
      assertEquals(4f / 3, scale.getFloat(0), 1e-6);
      for (int x = 0; x < S; x++) {
        // Resized column (x + 3) samples source column (x + 3 + 0.5) * 10/13 - 0.5 (bilinear).
        double src = (x + 3 + 0.5) * 10 / 13.0 - 0.5;
        double expected = 20 * src;
        for (int y = 0; y < S; y++) {
          assertEquals(expected, ImageNormalization.denormalize(image.getFloat(0, y, x, 0), 0), 0.05,
              "pixel " + y + "," + x);
        }
      }
    }
    // No padding anywhere: the mean (normalised 0) never appears in the image region.
    InputPipeline padded = InputPipeline.builder(files(), Set.of(LabelTypes.CLASSIFICATION))
        .training(false).batchSize(1).imageSize(S).build();
    try (BatchFetcher f = new BatchFetcher(padded); BatchFetcher.Fetched b = f.next()) {
      TFloat32 image = b.get(InputBatch.IMAGE);
      // Padded: 6 x 10 -> 5 x 8 (scale 0.8), rows 5..7 are padding (0).
      assertEquals(0f, image.getFloat(0, 7, 0, 0), 0f);
    }
  }

  @Test
  void incompatibleSettingsAreRejected() {
    var training = assertThrows(IllegalArgumentException.class, () -> InputPipeline.builder(List.of("x"),
        Set.of(LabelTypes.SEGMENTATION)).training(true).originalLabels(true).build());
    assertTrue(training.getMessage().contains("original_labels is for evaluation"), training.getMessage());
    var crop = assertThrows(IllegalArgumentException.class, () -> InputPipeline.builder(List.of("x"),
        Set.of(LabelTypes.SEGMENTATION)).training(false).originalLabels(true).evalResize("center_crop").build());
    assertTrue(crop.getMessage().contains("needs eval_resize = 'pad'"), crop.getMessage());
    var unknown = assertThrows(IllegalArgumentException.class, () -> InputPipeline.builder(List.of("x"),
        Set.of(LabelTypes.CLASSIFICATION)).training(false).evalResize("stretch").build());
    assertTrue(unknown.getMessage().contains("'pad' or 'center_crop'"), unknown.getMessage());
  }
}
