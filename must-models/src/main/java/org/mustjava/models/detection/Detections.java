package org.mustjava.models.detection;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Final detections of a batch, padded to {@code maxDetections} per image and sorted by score.
 *
 * <p>Boxes are in the coordinates of the network input (the padded S x S image), not of the
 * original image. To evaluate against original annotations (VOC, COCO) or to export pseudo labels
 * per original image, map them back with {@link OriginalImageBoxes} using the evaluation batch's
 * {@code scale}, {@code original_height} and {@code original_width}. In-pipeline pseudo labels
 * ({@link DetectionPseudoLabeler}) stay in input coordinates, which is what the student is fed.
 *
 * @param boxes {@code [B, D, 4]} (ymin, xmin, ymax, xmax) in pixels of the input image
 * @param normalizedBoxes {@code [B, D, 4]} the same divided by the input height/width
 * @param scores {@code [B, D]} class probabilities (0 for padding)
 * @param classes {@code [B, D]} int32 class ids 1..K (0 for padding)
 * @param count {@code [B]} int32 number of real detections
 */
public record Detections(
    Operand<TFloat32> boxes, Operand<TFloat32> normalizedBoxes, Operand<TFloat32> scores, Operand<TInt32> classes,
    Operand<TInt32> count) {
  public static final String BOXES = "detection_boxes";
  public static final String NORMALIZED_BOXES = "detection_boxes_normalized";
  public static final String SCORES = "detection_scores";
  public static final String CLASSES = "detection_classes";
  public static final String COUNT = "num_detections";

  /** The prediction map a head returns (keys as the TF Object Detection API names them). */
  public Map<String, Operand<?>> asMap() {
    Map<String, Operand<?>> map = new LinkedHashMap<>();
    map.put(BOXES, boxes);
    map.put(NORMALIZED_BOXES, normalizedBoxes);
    map.put(SCORES, scores);
    map.put(CLASSES, classes);
    map.put(COUNT, count);
    return map;
  }
}
