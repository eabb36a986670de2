package org.mustjava.models.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mustjava.models.detection.Detections;
import org.mustjava.models.detection.OriginalImageBoxes;
import org.mustjava.models.heads.LabelKeys;
import org.mustjava.data.example.Box;
import org.mustjava.models.metrics.detection.GroundTruthBox;
import org.mustjava.models.metrics.detection.ScoredDetection;
import org.mustjava.data.pipeline.InputBatch;
import org.tensorflow.Tensor;

/**
 * Reads one fetched eval batch of a detection head into per-image ground truth and detections in
 * <b>original-image pixels</b>, the coordinates VOC and COCO annotations are evaluated in (the
 * VOC "+1" pixel IoU and COCO's area ranges are not invariant to the eval resize).
 *
 * <p>Detections ({@code <head>/detection_boxes}, in pixels of the S x S network input) and ground
 * truth ({@code inputs/boxes}, normalised to the S x S input) are both mapped back by {@link
 * OriginalImageBoxes} with the batch's {@code scale}, {@code original_height} and {@code
 * original_width} (see {@link InputBatch}, "Mapping back"). S itself is not fetched: evaluation
 * fits the longer side to S, so {@code S = round(max(h, w) * scale)}.
 */
final class DetectionEvalImages {
  private DetectionEvalImages() {}

  /** One image of the eval set. */
  record Image(String id, List<GroundTruthBox> groundTruth, List<ScoredDetection> detections) {}

  private static final String BOXES = "inputs/" + LabelKeys.BOXES;
  private static final String CLASSES = "inputs/" + LabelKeys.BOX_CLASSES;
  private static final String NUM_BOXES = "inputs/" + LabelKeys.NUM_BOXES;
  private static final String DIFFICULT = "inputs/" + InputBatch.BOX_DIFFICULT;
  private static final String CROWD = "inputs/" + InputBatch.BOX_IS_CROWD;
  private static final String SCALE = "inputs/" + InputBatch.SCALE;
  private static final String HEIGHT = "inputs/" + InputBatch.ORIGINAL_HEIGHT;
  private static final String WIDTH = "inputs/" + InputBatch.ORIGINAL_WIDTH;

  /** The tensors {@link #read} needs for the detection head {@code head}. */
  static List<String> requiredTensors(String head) {
    return List.of(head + "/" + Detections.BOXES, head + "/" + Detections.SCORES, head + "/" + Detections.CLASSES,
        head + "/" + Detections.COUNT, BOXES, CLASSES, NUM_BOXES, DIFFICULT, CROWD, SCALE, HEIGHT, WIDTH);
  }

  /**
   * @param firstImage the index of the batch's first image in the eval pass; image ids are the
   *     indices as strings
   * @param metric the metric's name, for errors
   */
  static List<Image> read(Map<String, Tensor> tensors, String head, long firstImage, String metric) {
    float[] detBoxes = floats(tensors, head + "/" + Detections.BOXES, metric);
    float[] detScores = floats(tensors, head + "/" + Detections.SCORES, metric);
    int[] detClasses = ints(tensors, head + "/" + Detections.CLASSES, metric);
    int[] detCounts = ints(tensors, head + "/" + Detections.COUNT, metric);
    float[] gtBoxes = floats(tensors, BOXES, metric);
    int[] gtClasses = ints(tensors, CLASSES, metric);
    int[] gtCounts = ints(tensors, NUM_BOXES, metric);
    int[] difficult = ints(tensors, DIFFICULT, metric);
    int[] crowd = ints(tensors, CROWD, metric);
    float[] scales = floats(tensors, SCALE, metric);
    int[] heights = ints(tensors, HEIGHT, metric);
    int[] widths = ints(tensors, WIDTH, metric);
    int batch = detCounts.length;
    if (gtCounts.length != batch || scales.length != batch || heights.length != batch || widths.length != batch) {
      throw new IllegalArgumentException(metric + ": the batch has " + batch + " images of detections but "
          + gtCounts.length + " of ground truth and " + scales.length + " scales");
    }
    int perImageDets = detScores.length / Math.max(1, batch);
    int perImageGt = gtClasses.length / Math.max(1, batch);
    List<Image> images = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      String id = Long.toString(firstImage + b);
      float scale = scales[b];
      int h = heights[b];
      int w = widths[b];
      float side = Math.round(Math.max(h, w) * scale); // S, see the class comment
      List<GroundTruthBox> gt = new ArrayList<>();
      for (int j = 0; j < Math.min(gtCounts[b], perImageGt); j++) {
        int r = b * perImageGt + j;
        float[] in = new float[4];
        for (int c = 0; c < 4; c++) in[c] = gtBoxes[4 * r + c] * side;
        gt.add(new GroundTruthBox(id, gtClasses[r], box(OriginalImageBoxes.pixels(in, scale, h, w)),
            difficult[r] != 0, crowd[r] != 0, Double.NaN));
      }
      List<ScoredDetection> dets = new ArrayList<>();
      for (int j = 0; j < Math.min(detCounts[b], perImageDets); j++) {
        int r = b * perImageDets + j;
        float[] in = {detBoxes[4 * r], detBoxes[4 * r + 1], detBoxes[4 * r + 2], detBoxes[4 * r + 3]};
        dets.add(new ScoredDetection(id, detClasses[r], detScores[r], box(OriginalImageBoxes.pixels(in, scale, h, w))));
      }
      images.add(new Image(id, gt, dets));
    }
    return images;
  }

  private static Box box(float[] yxyx) {
    return new Box(yxyx[0], yxyx[1], yxyx[2], yxyx[3]);
  }

  private static float[] floats(Map<String, Tensor> tensors, String name, String metric) {
    return TensorArrays.floats(TensorArrays.require(tensors, name, metric), name);
  }

  private static int[] ints(Map<String, Tensor> tensors, String name, String metric) {
    return TensorArrays.ints(TensorArrays.require(tensors, name, metric), name);
  }
}
