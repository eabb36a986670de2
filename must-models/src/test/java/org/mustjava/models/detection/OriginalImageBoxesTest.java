package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

class OriginalImageBoxesTest {
  /**
   * Network input S = 64. Image 0 is landscape 333 x 500: scale = 64 / 500 = 0.128, resized to
   * round(42.624) = 43 x 64. Image 1 is portrait 400 x 200: scale = 64 / 400 = 0.16, resized to
   * 64 x 32. Input-pixel boxes divided by the scale, then clipped to the original image:
   */
  private static final float[][][] INPUT_BOXES = {
      {{8, 16, 40, 48}, {10, 20, 43, 64}, {0, 0, 0, 0}},
      {{16, 8, 48, 24}, {0, 24, 64, 40}, {10, 40, 20, 60}}};

  private static final float[][][] EXPECTED_PIXELS = {
      {{62.5f, 125, 312.5f, 375}, // 8 / 0.128 = 62.5, 16 / 0.128 = 125, ...
          {78.125f, 156.25f, 333, 500}, // ymax 43 / 0.128 = 335.94 (rounded resize) clipped to h = 333
          {0, 0, 0, 0}}, // padding row stays zero
      {{100, 50, 300, 150}, // 16 / 0.16 = 100, 8 / 0.16 = 50, ...
          {0, 150, 400, 200}, // xmax 40 / 0.16 = 250 reaches into the padding: clipped to w = 200
          {62.5f, 200, 125, 200}}}; // wholly in the padding (x >= 32): empty box on the right border

  private static final float[] SCALES = {0.128f, 0.16f};
  private static final int[] HEIGHTS = {333, 400};
  private static final int[] WIDTHS = {500, 200};

  @TempDir Path dir;

  @Test
  void graphOpMapsLandscapeAndPortraitBoxesToOriginalPixels() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> boxes = tf.constant(INPUT_BOXES);
      var pixels = GraphTestSupport.run1(s, OriginalImageBoxes.pixels(
          tf, boxes, tf.constant(SCALES), tf.constant(HEIGHTS), tf.constant(WIDTHS)));
      var normalized = GraphTestSupport.run1(s, OriginalImageBoxes.normalized(
          tf, boxes, tf.constant(SCALES), tf.constant(HEIGHTS), tf.constant(WIDTHS)));
      assertArrayEquals(new long[] {2, 3, 4}, pixels.shape());
      assertArrayEquals(new long[] {2, 3, 4}, normalized.shape());
      for (int b = 0; b < 2; b++) {
        for (int d = 0; d < 3; d++) {
          for (int c = 0; c < 4; c++) {
            String at = "image " + b + " box " + d + " coordinate " + c;
            assertEquals(EXPECTED_PIXELS[b][d][c], pixels.f(b, d, c), 1e-3, at);
            float size = c % 2 == 0 ? HEIGHTS[b] : WIDTHS[b];
            assertEquals(EXPECTED_PIXELS[b][d][c] / size, normalized.f(b, d, c), 1e-6, at);
          }
        }
      }
      // Two normalised values written out by hand: 62.5 / 333 and 312.5 / 333.
      assertEquals(0.1876877f, normalized.f(0, 0, 0), 1e-6);
      assertEquals(0.9384384f, normalized.f(0, 0, 2), 1e-6);
    }
  }

  @Test
  void javaMappingAgreesWithTheHandComputedBoxes() {
    for (int b = 0; b < 2; b++) {
      for (int d = 0; d < 3; d++) {
        assertArrayEquals(EXPECTED_PIXELS[b][d],
            OriginalImageBoxes.pixels(INPUT_BOXES[b][d], SCALES[b], HEIGHTS[b], WIDTHS[b]), 1e-3f,
            "image " + b + " box " + d);
      }
    }
    // Negative input coordinates clip to 0.
    assertArrayEquals(new float[] {0, 0, 50, 50}, OriginalImageBoxes.pixels(new float[] {-4, -4, 8, 8}, 0.16f, 400, 200), 1e-4f);
    assertThrows(IllegalArgumentException.class, () -> OriginalImageBoxes.pixels(new float[] {0, 0, 1, 1}, 0f, 10, 10));
    assertThrows(IllegalArgumentException.class, () -> OriginalImageBoxes.pixels(new float[] {0, 0, 1}, 1f, 10, 10));
  }

  /**
   * The mapping inverts the real evaluation pipeline: ground-truth boxes as the pipeline delivers
   * them (normalised to the S x S input), taken as detections in input pixels, come back as the
   * annotated boxes in original pixels — to within the rounding of the resized shorter side (less
   * than half an input pixel, i.e. 0.5 / scale original pixels).
   */
  @Test
  void invertsTheEvaluationPipelineForLandscapeAndPortraitImages() throws IOException {
    int s = 32;
    int[][] sizes = {{48, 72}, {60, 36}}; // landscape, portrait
    float[][][] annotated = {
        {{0.1f, 0.2f, 0.9f, 1.0f}, {0f, 0f, 0.5f, 0.25f}},
        {{0.25f, 0.5f, 1.0f, 0.75f}, {0.05f, 0f, 0.3f, 1.0f}}};
    Path file = dir.resolve("sizes.tfrecord");
    try (TFRecordWriter w = TFRecordWriter.create(file)) {
      for (int i = 0; i < sizes.length; i++) {
        int h = sizes[i][0];
        int wd = sizes[i][1];
        byte[] rgb = new byte[h * wd * 3];
        w.write(MultiTaskExample.builder(ImageCodecs.encodeRgbPng(rgb, h, wd), FeatureKeys.FORMAT_PNG, h, wd)
            .sourceId(Integer.toString(i))
            .boxes(ObjectBoxes.of(annotated[i], new int[] {1, 2}))
            .build()
            .toByteArray());
      }
      w.commit();
    }
    InputPipeline pipeline = InputPipeline.builder(List.of(file.toString()), Set.of(LabelTypes.DETECTION))
        .training(false).batchSize(2).imageSize(s).build();
    try (Graph g = new Graph(); Session session = new Session(g)) {
      Ops tf = Ops.create(g);
      InputBatch batch = pipeline.build(tf);
      Operand<TFloat32> inputPixels = tf.math.mul(batch.boxes(), tf.constant((float) s));
      Detections detections = new Detections(inputPixels, batch.boxes(),
          tf.zerosLike(tf.dtypes.cast(batch.boxClasses(), TFloat32.class)), batch.boxClasses(), batch.numBoxes());
      session.run(batch.initializer());
      try (Result r = session.runner()
          .fetch(OriginalImageBoxes.pixels(tf, detections, batch))
          .fetch(OriginalImageBoxes.normalized(tf, detections, batch))
          .fetch(batch.sourceId()).fetch(batch.scale()).fetch(batch.numBoxes()).run()) {
        var pixels = GraphTestSupport.toValue(r.get(0));
        var normalized = GraphTestSupport.toValue(r.get(1));
        TString ids = (TString) r.get(2);
        TFloat32 scales = (TFloat32) r.get(3);
        TInt32 counts = (TInt32) r.get(4);
        for (int k = 0; k < 2; k++) {
          int i = Integer.parseInt(ids.getObject(k));
          int h = sizes[i][0];
          int wd = sizes[i][1];
          assertEquals(2, counts.getInt(k));
          float tolerance = 0.5f / scales.getFloat(k) + 1e-3f;
          for (int d = 0; d < 2; d++) {
            for (int c = 0; c < 4; c++) {
              float size = c % 2 == 0 ? h : wd;
              String at = "image " + i + " box " + d + " coordinate " + c;
              assertEquals(annotated[i][d][c] * size, pixels.f(k, d, c), tolerance, at);
              assertEquals(annotated[i][d][c], normalized.f(k, d, c), tolerance / size, at);
            }
          }
        }
      }
    }
  }
}
