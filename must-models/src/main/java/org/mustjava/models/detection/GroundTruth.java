package org.mustjava.models.detection;

import java.util.List;
import java.util.Map;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Padded ground-truth boxes of a batch in the detector's coordinates.
 *
 * <p>Built from the input pipeline's labels: {@code boxes} float32 {@code [B, N, 4]} normalised
 * (ymin, xmin, ymax, xmax), {@code box_classes} int32 {@code [B, N]}, {@code num_boxes} int32
 * {@code [B]}. Class convention: 0 is background, object classes are 1..K, so dataset label ids
 * must be contiguous and start at 1 (the TF Object Detection API label-map convention; converters
 * map e.g. COCO's sparse category ids to 1..80). A valid box with a class outside 1..K fails the
 * step with an error naming the offending value.
 *
 * <p>One always-invalid zero box is appended, so {@code M = N + 1 >= 1} even for a batch without any
 * boxes (the IoU matrix is never empty); rows past {@code num_boxes}, and empty boxes, are invalid.
 *
 * @param boxes {@code [B, M, 4]} pixel coordinates of the input image
 * @param classes {@code [B, M]} int32 class ids (0 where invalid)
 * @param valid {@code [B, M]}
 */
public record GroundTruth(Operand<TFloat32> boxes, Operand<TInt32> classes, Operand<TBool> valid) {
  // The batch's detection keys (defined once, in InputBatch).
  public static final String BOXES = LabelKeys.BOXES;
  public static final String CLASSES = LabelKeys.BOX_CLASSES;
  public static final String NUM_BOXES = LabelKeys.NUM_BOXES;

  /**
   * Reads the detection labels from {@code labels} and scales the boxes to pixels.
   *
   * @param imageHeight float32 scalar, the input image height in pixels
   * @param imageWidth float32 scalar
   * @param numClasses K; classes must lie in 1..K
   */
  @SuppressWarnings("unchecked")
  public static GroundTruth fromLabels(
      Ops tf, Map<String, ? extends Operand<?>> labels, Operand<TFloat32> imageHeight, Operand<TFloat32> imageWidth,
      int numClasses) {
    for (String key : List.of(BOXES, CLASSES, NUM_BOXES)) {
      if (labels.get(key) == null) {
        throw new IllegalArgumentException(
            "detection training needs the label '" + key + "'; labels have " + labels.keySet());
      }
    }
    Operand<TFloat32> normalised = checkType(labels.get(BOXES), TFloat32.class, BOXES);
    Operand<TInt32> classes = checkType(labels.get(CLASSES), TInt32.class, CLASSES);
    Operand<TInt32> numBoxes = checkType(labels.get(NUM_BOXES), TInt32.class, NUM_BOXES);
    return of(tf, Boxes.scale(tf, normalised, imageHeight, imageWidth), classes, numBoxes, numClasses);
  }

  /** Ground truth from pixel boxes {@code [B, N, 4]}, classes {@code [B, N]} and counts {@code [B]}. */
  public static GroundTruth of(
      Ops tf, Operand<TFloat32> boxes, Operand<TInt32> classes, Operand<TInt32> numBoxes, int numClasses) {
    // Append the padding box: [B, N, 4] -> [B, N + 1, 4].
    Operand<TFloat32> paddedBoxes = tf.pad(boxes, tf.constant(new int[][] {{0, 0}, {0, 1}, {0, 0}}), tf.constant(0f));
    Operand<TInt32> paddedClasses = tf.pad(classes, tf.constant(new int[][] {{0, 0}, {0, 1}}), tf.constant(0));
    Operand<TInt32> m = tf.gather(tf.shape(paddedClasses), tf.constant(1), tf.constant(0));
    Operand<TInt32> index = tf.expandDims(tf.range(tf.constant(0), m, tf.constant(1)), tf.constant(0)); // [1,M]
    Operand<TBool> inCount = tf.math.less(index, tf.expandDims(numBoxes, tf.constant(1)));
    Operand<TBool> nonEmpty = Boxes.nonEmpty(tf, paddedBoxes);
    Operand<TBool> valid = tf.math.logicalAnd(inCount, nonEmpty);
    // Classes of valid boxes must be 1..K.
    Operand<TBool> classOk = tf.math.logicalAnd(
        tf.math.greaterEqual(paddedClasses, tf.constant(1)), tf.math.lessEqual(paddedClasses, tf.constant(numClasses)));
    Operand<TBool> allOk = tf.reduceAll(
        tf.math.logicalOr(tf.math.logicalNot(inCount), classOk), tf.constant(new int[] {0, 1}));
    var check = tf.assertThat(
        allOk,
        List.of(
            tf.constant("detection labels: box_classes of valid boxes must be in 1.." + numClasses
                + " (0 is background); got classes"),
            paddedClasses,
            tf.constant("num_boxes"),
            numBoxes));
    Operand<TInt32> checkedClasses = tf.withControlDependencies(List.of(check)).identity(paddedClasses);
    Operand<TInt32> validClasses = tf.select(valid, checkedClasses, tf.zerosLike(checkedClasses));
    return new GroundTruth(
        tf.stopGradient(paddedBoxes), tf.stopGradient(validClasses), tf.stopGradient(valid));
  }

  @SuppressWarnings("unchecked")
  private static <T extends org.tensorflow.types.family.TType> Operand<T> checkType(
      Operand<?> operand, Class<T> type, String key) {
    if (operand.type() != type) {
      throw new IllegalArgumentException(
          "label '" + key + "' must be " + type.getSimpleName() + " but is " + operand.type().getSimpleName());
    }
    return (Operand<T>) operand;
  }
}
