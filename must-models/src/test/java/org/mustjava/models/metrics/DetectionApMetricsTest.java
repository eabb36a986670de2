package org.mustjava.models.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link VocAP} and {@link CocoAP} as eval metrics, fed batches of fetched tensors the way the
 * evaluator feeds them (a full batch, then a smaller last one), on hand-computed cases where the
 * mapping back to original-image pixels decides the result: the VOC "+1" pixel IoU and COCO's
 * area ranges are not invariant to the eval resize.
 */
class DetectionApMetricsTest {
  private final List<Tensor> open = new ArrayList<>();

  @AfterEach
  void close() {
    open.forEach(Tensor::close);
  }

  /** One image: original size, eval scale, ground truth (normalised to the 64 px input) and detections (input pixels). */
  private static final class Image {
    final int height;
    final int width;
    final float scale;
    final List<float[]> gt = new ArrayList<>(); // ymin, xmin, ymax, xmax, class, difficult, crowd
    final List<float[]> dets = new ArrayList<>(); // ymin, xmin, ymax, xmax, class, score

    Image(int height, int width) {
      this.height = height;
      this.width = width;
      this.scale = Math.min(64f / height, 64f / width);
    }

    /** A ground-truth box given in original pixels, stored as the pipeline does: normalised to the input. */
    Image gt(float ymin, float xmin, float ymax, float xmax, int cls, boolean difficult, boolean crowd) {
      gt.add(new float[] {ymin * scale / 64, xmin * scale / 64, ymax * scale / 64, xmax * scale / 64, cls,
          difficult ? 1 : 0, crowd ? 1 : 0});
      return this;
    }

    /** A detection given in original pixels, stored as the detector outputs it: input pixels. */
    Image det(float ymin, float xmin, float ymax, float xmax, int cls, float score) {
      dets.add(new float[] {ymin * scale, xmin * scale, ymax * scale, xmax * scale, cls, score});
      return this;
    }
  }

  /** The fetched tensors of one eval batch (M = 4 ground-truth rows, D = 5 detection rows). */
  private Map<String, Tensor> batch(Image... images) {
    int b = images.length;
    int m = 4;
    int d = 5;
    float[] detBoxes = new float[b * d * 4];
    float[] detScores = new float[b * d];
    int[] detClasses = new int[b * d];
    int[] detCounts = new int[b];
    float[] gtBoxes = new float[b * m * 4];
    int[] gtClasses = new int[b * m];
    int[] difficult = new int[b * m];
    int[] crowd = new int[b * m];
    int[] gtCounts = new int[b];
    float[] scales = new float[b];
    int[] heights = new int[b];
    int[] widths = new int[b];
    for (int i = 0; i < b; i++) {
      Image im = images[i];
      scales[i] = im.scale;
      heights[i] = im.height;
      widths[i] = im.width;
      gtCounts[i] = im.gt.size();
      java.util.Arrays.fill(gtClasses, i * m, (i + 1) * m, -1); // the pipeline's padding
      for (int j = 0; j < im.gt.size(); j++) {
        float[] g = im.gt.get(j);
        System.arraycopy(g, 0, gtBoxes, (i * m + j) * 4, 4);
        gtClasses[i * m + j] = (int) g[4];
        difficult[i * m + j] = (int) g[5];
        crowd[i * m + j] = (int) g[6];
      }
      detCounts[i] = im.dets.size();
      for (int j = 0; j < im.dets.size(); j++) {
        float[] t = im.dets.get(j);
        System.arraycopy(t, 0, detBoxes, (i * d + j) * 4, 4);
        detClasses[i * d + j] = (int) t[4];
        detScores[i * d + j] = t[5];
      }
    }
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("detection/detection_boxes", floats(detBoxes, b, d, 4));
    t.put("detection/detection_scores", floats(detScores, b, d));
    t.put("detection/detection_classes", ints(detClasses, b, d));
    t.put("detection/num_detections", ints(detCounts, b));
    t.put("inputs/boxes", floats(gtBoxes, b, m, 4));
    t.put("inputs/box_classes", ints(gtClasses, b, m));
    t.put("inputs/num_boxes", ints(gtCounts, b));
    t.put("inputs/box_difficult", ints(difficult, b, m));
    t.put("inputs/box_is_crowd", ints(crowd, b, m));
    t.put("inputs/scale", floats(scales, b));
    t.put("inputs/original_height", ints(heights, b));
    t.put("inputs/original_width", ints(widths, b));
    return t;
  }

  private Tensor floats(float[] v, long... shape) {
    Tensor t = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(v));
    open.add(t);
    return t;
  }

  private Tensor ints(int[] v, long... shape) {
    Tensor t = TInt32.tensorOf(Shape.of(shape), DataBuffers.of(v));
    open.add(t);
    return t;
  }

  @Test
  void vocApInOriginalPixelsWithDifficultObjectsOverAPartialLastBatch() {
    // A: 256 x 256 (scale 0.25). GT 10 x 10 px (inclusive pixels: 0..9); the detection 0..9 x 0..4
    // has devkit IoU 50/100 = 0.5, not > 0.5: a false positive. (In 64 px input coordinates the
    // same boxes have IoU 6.5 / 10.56 = 0.62 and would match.)
    Image a = new Image(256, 256).gt(0, 0, 9, 9, 1, false, false).det(0, 0, 9, 4, 1, 0.9f);
    // B: 100 x 200 (scale 0.32). An exact detection, and a difficult object nobody detects (it must
    // not count as a miss: class 2 keeps AP 1).
    Image b = new Image(100, 200).gt(10, 20, 60, 120, 2, false, false).gt(70, 150, 90, 190, 2, true, false)
        .det(10, 20, 60, 120, 2, 0.8f);
    // C, in the smaller last batch: no class-1 object, a class-1 detection where A's object is. It
    // is a false positive (image ids run over the pass, so it cannot match A's ground truth).
    Image c = new Image(256, 256).gt(100, 100, 140, 140, 2, false, false).det(100, 100, 140, 140, 2, 0.7f)
        .det(0, 0, 9, 9, 1, 0.95f);
    VocAP voc = new VocAP("detection", 0.5, "11point", true);
    voc.reset();
    voc.update(batch(a, b));
    voc.update(batch(c));
    // Class 1: one object, two false positives: AP 0. Class 2: both objects found first: AP 1.
    assertEquals(0.5, voc.result().get("voc_ap50"), 1e-9);
    voc.reset();
    voc.update(batch(b));
    assertEquals(1.0, voc.result().get("voc_ap50"), 1e-9, "after reset only B counts");
  }

  @Test
  void cocoApAreaRangesAreThoseOfTheOriginalImageAndCrowdsAreIgnored() {
    // 256 x 256 at scale 0.25: a 40 x 40 px object (area 1600, "medium") is 10 x 10 in the input
    // (area 100, which would be "small").
    Image a = new Image(256, 256).gt(100, 100, 140, 140, 1, false, false).det(100, 100, 140, 140, 1, 0.9f)
        // A detection inside a crowd region, scored higher: ignored, not a false positive.
        .gt(0, 0, 60, 60, 1, false, true).det(5, 5, 50, 50, 1, 0.95f);
    Image empty = new Image(128, 64);
    CocoAP coco = new CocoAP("detection");
    coco.reset();
    coco.update(batch(a, empty));
    Map<String, Double> r = coco.result();
    assertEquals(1.0, r.get("coco_ap"), 1e-9, r.toString());
    assertEquals(1.0, r.get("coco_apm"), 1e-9, r.toString());
    assertEquals(-1.0, r.get("coco_aps"), 1e-9, "no small object in original pixels: " + r);
    assertEquals(-1.0, r.get("coco_apl"), 1e-9, r.toString());

    // A last, partial batch with an image without objects and a confident detection: every eval
    // image counts, so it is a false positive ranked first: precision 1/2 at full recall.
    Image falseAlarm = new Image(64, 64).det(10, 10, 30, 30, 1, 0.99f);
    coco.update(batch(falseAlarm));
    assertEquals(0.5, coco.result().get("coco_ap"), 1e-9, coco.result().toString());
  }
}
