package org.mustjava.data.augment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.image.ResizeNearestNeighbor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TNumber;

/**
 * The geometry shared by training and evaluation preprocessing: resize the example by one factor
 * (aspect ratio kept), take an {@code outputHeight x outputWidth} window starting at an offset, and
 * pad the part of the window that falls outside the resized image at the bottom and on the right.
 *
 * <p>With input size {@code h x w} the resize factor is {@code jitter * min(outH / h, outW / w)}:
 * {@code jitter = 1} fits the longer side to the output (evaluation), larger values zoom in (the
 * window then crops), smaller values zoom out (more padding). The resized size is
 * {@code round(h * factor) x round(w * factor)} (at least 1). The offset along each axis is an
 * integer in {@code [0, max(0, resized - output)]}.
 *
 * <p>One instance computes these numbers once per example and applies them to every field, which
 * keeps image, boxes and label maps aligned. Images are resized bilinearly; label maps, depth and
 * normals with nearest neighbour (so no class, invalid depth or unit normal is ever blended);
 * TF2 pixel-centre conventions ({@code half_pixel_centers}) throughout.
 */
public final class ScaledCrop {
  private final Ops tf;
  private final int outputHeight;
  private final int outputWidth;
  private final Operand<TFloat32> scale;
  private final Operand<TInt32> scaledHeight;
  private final Operand<TInt32> scaledWidth;
  private final Operand<TInt32> offsetY;
  private final Operand<TInt32> offsetX;

  private ScaledCrop(
      Ops tf,
      int outputHeight,
      int outputWidth,
      Operand<TFloat32> scale,
      Operand<TInt32> scaledHeight,
      Operand<TInt32> scaledWidth,
      Operand<TInt32> offsetY,
      Operand<TInt32> offsetX) {
    this.tf = tf;
    this.outputHeight = outputHeight;
    this.outputWidth = outputWidth;
    this.scale = scale;
    this.scaledHeight = scaledHeight;
    this.scaledWidth = scaledWidth;
    this.offsetY = offsetY;
    this.offsetX = offsetX;
  }

  /**
   * A jittered window.
   *
   * @param imageHeight scalar int32 input height
   * @param imageWidth scalar int32 input width
   * @param jitter scalar float32 zoom on top of the fit-to-output factor
   * @param offsetFractionY scalar float32 in [0, 1): where the window starts in the slack along y
   * @param offsetFractionX the same along x
   */
  public static ScaledCrop jittered(
      Ops tf,
      Operand<TInt32> imageHeight,
      Operand<TInt32> imageWidth,
      int outputHeight,
      int outputWidth,
      Operand<TFloat32> jitter,
      Operand<TFloat32> offsetFractionY,
      Operand<TFloat32> offsetFractionX) {
    if (outputHeight < 1 || outputWidth < 1) {
      throw new IllegalArgumentException(
          "output size must be positive, got " + outputHeight + "x" + outputWidth);
    }
    Operand<TFloat32> h = tf.dtypes.cast(imageHeight, TFloat32.class);
    Operand<TFloat32> w = tf.dtypes.cast(imageWidth, TFloat32.class);
    Operand<TFloat32> fit =
        tf.math.minimum(
            tf.math.div(tf.constant((float) outputHeight), h),
            tf.math.div(tf.constant((float) outputWidth), w));
    Operand<TFloat32> factor = tf.math.mul(jitter, fit);
    Operand<TInt32> scaledHeight = scaledLength(tf, h, factor);
    Operand<TInt32> scaledWidth = scaledLength(tf, w, factor);
    return new ScaledCrop(
        tf,
        outputHeight,
        outputWidth,
        factor,
        scaledHeight,
        scaledWidth,
        offset(tf, scaledHeight, outputHeight, offsetFractionY),
        offset(tf, scaledWidth, outputWidth, offsetFractionX));
  }

  /** The evaluation window: the longer side fitted to the output, no crop, padding bottom/right. */
  public static ScaledCrop fit(
      Ops tf,
      Operand<TInt32> imageHeight,
      Operand<TInt32> imageWidth,
      int outputHeight,
      int outputWidth) {
    Operand<TFloat32> zero = tf.constant(0f);
    return jittered(
        tf, imageHeight, imageWidth, outputHeight, outputWidth, tf.constant(1f), zero, zero);
  }

  /**
   * The centre-crop evaluation window (classification): the shorter side fitted to the output,
   * the longer side cropped symmetrically, no padding. With {@code h x w} input the factor is
   * {@code max(outH / h, outW / w)}.
   */
  public static ScaledCrop centred(
      Ops tf,
      Operand<TInt32> imageHeight,
      Operand<TInt32> imageWidth,
      int outputHeight,
      int outputWidth) {
    Operand<TFloat32> fh = tf.math.div(tf.constant((float) outputHeight), tf.dtypes.cast(imageHeight, TFloat32.class));
    Operand<TFloat32> fw = tf.math.div(tf.constant((float) outputWidth), tf.dtypes.cast(imageWidth, TFloat32.class));
    // jitter * fit = max(fh, fw); the offsets put the window in the middle of the slack.
    Operand<TFloat32> jitter = tf.math.div(tf.math.maximum(fh, fw), tf.math.minimum(fh, fw));
    Operand<TFloat32> half = tf.constant(0.5f);
    return jittered(tf, imageHeight, imageWidth, outputHeight, outputWidth, jitter, half, half);
  }

  private static Operand<TInt32> scaledLength(
      Ops tf, Operand<TFloat32> length, Operand<TFloat32> factor) {
    Operand<TInt32> rounded =
        tf.dtypes.cast(tf.math.round(tf.math.mul(length, factor)), TInt32.class);
    return tf.math.maximum(rounded, tf.constant(1));
  }

  private static Operand<TInt32> offset(
      Ops tf, Operand<TInt32> scaled, int output, Operand<TFloat32> fraction) {
    Operand<TInt32> slack = tf.math.maximum(tf.math.sub(scaled, tf.constant(output)), tf.constant(0));
    Operand<TFloat32> slots = tf.dtypes.cast(tf.math.add(slack, tf.constant(1)), TFloat32.class);
    Operand<TInt32> drawn =
        tf.dtypes.cast(tf.math.floor(tf.math.mul(fraction, slots)), TInt32.class);
    return tf.math.minimum(drawn, slack);
  }

  /**
   * The resize factor, float32 scalar: {@code jitter * min(outH / h, outW / w)}, i.e. resized /
   * original. The resized size is exactly {@code max(1, round(h * scale)) x max(1, round(w *
   * scale))} computed in float32 and rounded half to even (TensorFlow's {@code Round}), so a consumer can recompute it from the scale and the original
   * size.
   */
  public Operand<TFloat32> scale() {
    return scale;
  }

  /** Resized height (before cropping), int32 scalar. */
  public Operand<TInt32> scaledHeight() {
    return scaledHeight;
  }

  /** Resized width (before cropping), int32 scalar. */
  public Operand<TInt32> scaledWidth() {
    return scaledWidth;
  }

  /** First resized row inside the window, int32 scalar. */
  public Operand<TInt32> offsetY() {
    return offsetY;
  }

  /** First resized column inside the window, int32 scalar. */
  public Operand<TInt32> offsetX() {
    return offsetX;
  }

  /** Bilinear resize, crop and zero padding of an {@code [H, W, C]} float image. */
  public Operand<TFloat32> image(Operand<TFloat32> image) {
    Operand<TFloat32> resized =
        tf.squeeze(
            tf.image.resizeBilinear(
                tf.expandDims(image, tf.constant(0)),
                scaledSize(),
                ResizeBilinear.halfPixelCenters(true)),
            Squeeze.axis(List.of(0L)));
    return cropAndPad(resized, tf.constant(0f), channels(image));
  }

  /** Nearest-neighbour resize, crop and padding with {@code padValue} of an int32 label map. */
  public Operand<TInt32> labels(Operand<TInt32> labels, int padValue) {
    return cropAndPad(nearest(labels), tf.constant(padValue), channels(labels));
  }

  /** Nearest-neighbour resize, crop and padding with {@code padValue} of a float map. */
  public Operand<TFloat32> floatMap(Operand<TFloat32> map, float padValue) {
    return cropAndPad(nearest(map), tf.constant(padValue), channels(map));
  }

  /**
   * Maps normalised boxes into the window, clips them to it and drops the ones left with no area.
   *
   * <p>Input boxes are relative to the input image; the returned sample's boxes are relative to
   * the output window, in input order, with their classes.
   */
  public Sample boxes(Sample sample) {
    if (!sample.hasBoxes()) {
      return sample;
    }
    return BoxFilter.keepNonEmpty(tf, sample.withTensors(Map.of(Sample.BOXES, boxCoordinates(sample.boxes()))));
  }

  /** Normalised {@code [N, 4]} boxes of the input mapped into the window and clipped to it. */
  Operand<TFloat32> boxCoordinates(Operand<TFloat32> boxes) {
    Operand<TFloat32> sh = tf.dtypes.cast(scaledHeight, TFloat32.class);
    Operand<TFloat32> sw = tf.dtypes.cast(scaledWidth, TFloat32.class);
    Operand<TFloat32> oh = tf.constant((float) outputHeight);
    Operand<TFloat32> ow = tf.constant((float) outputWidth);
    Operand<TFloat32> yScale = tf.math.div(sh, oh);
    Operand<TFloat32> xScale = tf.math.div(sw, ow);
    Operand<TFloat32> yShift = tf.math.div(tf.dtypes.cast(offsetY, TFloat32.class), oh);
    Operand<TFloat32> xShift = tf.math.div(tf.dtypes.cast(offsetX, TFloat32.class), ow);
    Operand<TFloat32> scale = tf.stack(List.of(yScale, xScale, yScale, xScale));
    Operand<TFloat32> shift = tf.stack(List.of(yShift, xShift, yShift, xShift));
    Operand<TFloat32> moved = tf.math.sub(tf.math.mul(boxes, scale), shift);
    return tf.clipByValue(moved, tf.constant(0f), tf.constant(1f));
  }

  /**
   * Applies this window to every field of {@code sample}, each by its {@link FieldGeometry}; boxes
   * left with no area are then dropped with their rows.
   */
  public Sample apply(Sample sample) {
    Map<String, Operand<?>> moved = new LinkedHashMap<>();
    sample.fields().forEach((name, f) -> moved.put(name, f.geometry().crop(this, f.tensor())));
    Sample out = sample.withImage(image(sample.image())).withTensors(moved);
    return BoxFilter.keepNonEmpty(tf, out);
  }

  private Operand<TInt32> scaledSize() {
    return tf.stack(List.of(scaledHeight, scaledWidth));
  }

  private <T extends TNumber> Operand<T> nearest(Operand<T> map) {
    return tf.squeeze(
        tf.image.resizeNearestNeighbor(
            tf.expandDims(map, tf.constant(0)),
            scaledSize(),
            ResizeNearestNeighbor.halfPixelCenters(true)),
        Squeeze.axis(List.of(0L)));
  }

  /** Static channel count of an {@code [H, W, C]} tensor, or -1 when unknown. */
  private static long channels(Operand<?> map) {
    Shape shape = map.shape();
    if (shape.isUnknown() || shape.numDimensions() != 3) {
      return -1;
    }
    return shape.size(2);
  }

  private <T extends TNumber> Operand<T> cropAndPad(
      Operand<T> resized, Operand<T> padValue, long channels) {
    Operand<TInt32> cropHeight =
        tf.math.minimum(tf.constant(outputHeight), tf.math.sub(scaledHeight, offsetY));
    Operand<TInt32> cropWidth =
        tf.math.minimum(tf.constant(outputWidth), tf.math.sub(scaledWidth, offsetX));
    Operand<T> cropped =
        tf.slice(
            resized,
            tf.stack(List.of(offsetY, offsetX, tf.constant(0))),
            tf.stack(List.of(cropHeight, cropWidth, tf.constant(-1))));
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> paddings =
        tf.stack(
            List.of(
                tf.stack(List.of(zero, tf.math.sub(tf.constant(outputHeight), cropHeight))),
                tf.stack(List.of(zero, tf.math.sub(tf.constant(outputWidth), cropWidth))),
                tf.stack(List.of(zero, zero))));
    Operand<T> padded = tf.pad(cropped, paddings, padValue);
    return tf.reshape(padded, tf.constant(new long[] {outputHeight, outputWidth, channels}));
  }
}
