package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.image.CropAndResize;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Multilevel ROIAlign (Mask R-CNN / FPN) with {@code CropAndResize}.
 *
 * <p>A box of size {@code sqrt(h w)} is read from level {@code floor(4 + log2(sqrt(h w) / 224))}
 * clipped to [minLevel, maxLevel] (FPN paper eq. 1: the canonical ImageNet size 224 maps to P4).
 * On its level, each of the {@code outputSize x outputSize} bins is sampled bilinearly at
 * {@code samplingRatio x samplingRatio} regularly spaced points that are then averaged — ROIAlign
 * with pixel-centre-aligned coordinates (a feature cell {@code i} covers image pixels
 * {@code [i s, (i + 1) s)} at stride {@code s}).
 *
 * <p>Sample coordinates are clamped to the feature map, {@code [0, H - 1] x [0, W - 1]} in cell
 * centres, as Model Garden's and Detectron's ROIAlign do: a sample beyond an edge reads the edge
 * row/column. (CropAndResize on a whole box would instead read 0 there — its extrapolation value
 * — which mixes zeros into ROIs that touch the image border, where the feature map ends half a
 * cell inside the image.) Clamping breaks the regular grid CropAndResize samples, so every sample
 * point is its own degenerate 1 x 1 CropAndResize box at its clamped position; that is the same
 * number of bilinear reads, and the op's gradient with respect to the features still applies.
 * Boxes are grouped by level with Where/Gather and put back in order with DynamicStitch.
 */
public final class MultilevelRoiAligner {
  private final int outputSize;
  private final int samplingRatio;
  private final int minLevel;
  private final int maxLevel;
  private final double canonicalSize;
  private final int canonicalLevel;

  public static MultilevelRoiAligner defaults() {
    return ConfigDefaults.create(MultilevelRoiAligner.class, Map.of());
  }

  /**
   * @param outputSize bins per side of the pooled features
   * @param samplingRatio bilinear samples per bin side
   * @param minLevel finest level ROIs are read from
   * @param maxLevel coarsest level
   * @param canonicalSize box size (sqrt of area) mapped to canonicalLevel
   * @param canonicalLevel level of a canonicalSize box
   */
  @Configurable("MultilevelRoiAligner")
  public MultilevelRoiAligner(
      @Default("7") int outputSize, @Default("2") int samplingRatio, @Default("2") int minLevel,
      @Default("5") int maxLevel, @Default("224.0") double canonicalSize, @Default("4") int canonicalLevel) {
    if (outputSize < 1 || samplingRatio < 1) {
      throw new IllegalArgumentException("MultilevelRoiAligner: outputSize and samplingRatio must be >= 1");
    }
    if (maxLevel < minLevel) {
      throw new IllegalArgumentException("MultilevelRoiAligner: maxLevel < minLevel (" + maxLevel + " < " + minLevel + ")");
    }
    this.outputSize = outputSize;
    this.samplingRatio = samplingRatio;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.canonicalSize = canonicalSize;
    this.canonicalLevel = canonicalLevel;
  }

  public int outputSize() {
    return outputSize;
  }

  public int minLevel() {
    return minLevel;
  }

  public int maxLevel() {
    return maxLevel;
  }

  /** The pyramid level each box is read from, int32 shaped like {@code boxes} without the last axis. */
  public Operand<TInt32> levels(Ops tf, Operand<TFloat32> boxes) {
    Operand<TFloat32> size = tf.math.sqrt(Boxes.area(tf, boxes));
    Operand<TFloat32> log2 = tf.math.div(
        tf.math.log(tf.math.add(tf.math.div(size, tf.constant((float) canonicalSize)), tf.constant(1e-8f))),
        tf.constant((float) Math.log(2)));
    Operand<TFloat32> level = tf.math.floor(tf.math.add(log2, tf.constant((float) canonicalLevel)));
    level = tf.math.minimum(tf.math.maximum(level, tf.constant((float) minLevel)), tf.constant((float) maxLevel));
    return tf.dtypes.cast(level, TInt32.class);
  }

  /**
   * @param features pyramid levels (NHWC, same channel count), keyed by level; must contain minLevel..maxLevel
   * @param boxes {@code [B, S, 4]} pixel boxes (static B and S); not differentiated
   * @return {@code [B, S, outputSize, outputSize, C]}
   */
  public Operand<TFloat32> align(Ops tf, Map<Integer, ? extends Operand<TFloat32>> features, Operand<TFloat32> boxes) {
    long batch = boxes.shape().get(0);
    long perImage = boxes.shape().get(1);
    if (batch < 0 || perImage < 0) {
      throw new IllegalArgumentException("ROIAlign needs boxes with a static [B, S, 4] shape, got " + boxes.shape());
    }
    long channels = -1;
    for (int level = minLevel; level <= maxLevel; level++) {
      Operand<TFloat32> f = features.get(level);
      if (f == null) {
        throw new IllegalArgumentException(
            "ROIAlign needs pyramid level " + level + " but the features have levels " + features.keySet());
      }
      long c = f.shape().get(3);
      if (channels >= 0 && c != channels) {
        throw new IllegalArgumentException("ROIAlign needs equal channel counts on all levels, got " + channels + " and " + c);
      }
      channels = c;
    }
    Operand<TFloat32> flatBoxes = tf.reshape(boxes, tf.constant(new int[] {-1, 4}));
    Operand<TInt32> boxLevels = levels(tf, flatBoxes); // [B*S]
    Operand<TInt32> imageIndex = tf.reshape(
        tf.tile(tf.expandDims(tf.range(tf.constant(0), tf.constant((int) batch), tf.constant(1)), tf.constant(1)),
            tf.constant(new int[] {1, (int) perImage})),
        tf.constant(new int[] {-1}));
    int cropSize = outputSize * samplingRatio;
    List<Operand<TInt32>> positions = new ArrayList<>();
    List<Operand<TFloat32>> crops = new ArrayList<>();
    for (int level = minLevel; level <= maxLevel; level++) {
      Operand<TInt32> at = tf.dtypes.cast(
          tf.squeeze(tf.where(tf.math.equal(boxLevels, tf.constant(level))), Squeeze.axis(List.of(1L))),
          TInt32.class);
      Operand<TFloat32> levelBoxes = tf.gather(flatBoxes, at, tf.constant(0));
      Operand<TInt32> levelImages = tf.gather(imageIndex, at, tf.constant(0));
      Operand<TFloat32> crop = sampleClamped(tf, features.get(level), levelBoxes, levelImages, level, cropSize, channels);
      if (samplingRatio > 1) {
        List<Long> window = List.of(1L, (long) samplingRatio, (long) samplingRatio, 1L);
        crop = tf.nn.avgPool(crop, window, window, "VALID");
      }
      positions.add(at);
      crops.add(crop);
    }
    Operand<TFloat32> stitched = tf.dynamicStitch(positions, crops);
    return tf.reshape(stitched, tf.constant(new long[] {batch, perImage, outputSize, outputSize, channels}));
  }

  /**
   * Bilinear samples of {@code feature} at the {@code cropSize x cropSize} bin sub-centres of each
   * box, clamped to the feature map: {@code [n, cropSize, cropSize, C]}.
   */
  private static Operand<TFloat32> sampleClamped(
      Ops tf, Operand<TFloat32> feature, Operand<TFloat32> boxes, Operand<TInt32> images, int level, int cropSize,
      long channels) {
    Operand<TInt32> shape = tf.shape(feature);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> lastRow =
        tf.math.sub(tf.dtypes.cast(tf.gather(shape, tf.constant(1), tf.constant(0)), TFloat32.class), one);
    Operand<TFloat32> lastColumn =
        tf.math.sub(tf.dtypes.cast(tf.gather(shape, tf.constant(2), tf.constant(0)), TFloat32.class), one);
    List<Operand<TFloat32>> c = Boxes.coordinates(tf, boxes);
    Operand<TFloat32> stride = tf.constant((float) Math.pow(2, level));
    // Sub-centre k of cropSize equal bins lies at fraction (k + 0.5) / cropSize of the box.
    float[] fractions = new float[cropSize];
    for (int k = 0; k < cropSize; k++) fractions[k] = (k + 0.5f) / cropSize;
    Operand<TFloat32> along = tf.expandDims(tf.constant(fractions), tf.constant(0)); // [1, cropSize]
    Operand<TFloat32> ys = samplePositions(tf, c.get(0), c.get(2), stride, along, lastRow); // [n, cropSize]
    Operand<TFloat32> xs = samplePositions(tf, c.get(1), c.get(3), stride, along, lastColumn);
    // CropAndResize reads a 1 x 1 crop of box (y, x, y, x) at (y (H - 1), x (W - 1)); a clamped
    // position p becomes exactly p again (p / (H - 1) * (H - 1) rounds monotonically, 1 stays 1).
    ys = tf.math.div(ys, tf.math.maximum(lastRow, one));
    xs = tf.math.div(xs, tf.math.maximum(lastColumn, one));
    Operand<TFloat32> gridY = tf.tile(tf.expandDims(ys, tf.constant(2)), tf.constant(new int[] {1, 1, cropSize}));
    Operand<TFloat32> gridX = tf.tile(tf.expandDims(xs, tf.constant(1)), tf.constant(new int[] {1, cropSize, 1}));
    Operand<TFloat32> pointBoxes = tf.reshape(
        Boxes.fromCoordinates(tf, gridY, gridX, gridY, gridX), tf.constant(new int[] {-1, 4}));
    Operand<TInt32> pointImages = tf.reshape(
        tf.tile(tf.expandDims(images, tf.constant(1)), tf.constant(new int[] {1, cropSize * cropSize})),
        tf.constant(new int[] {-1}));
    Operand<TFloat32> points = tf.image.cropAndResize(
        feature, pointBoxes, pointImages, tf.constant(new int[] {1, 1}), CropAndResize.method("bilinear"));
    return tf.reshape(points, tf.constant(new long[] {-1, cropSize, cropSize, channels}));
  }

  /**
   * Continuous feature coordinates of the samples between pixel coordinates {@code low} and
   * {@code high} ({@code [n]}), clamped to {@code [0, last]}: pixel p lies at {@code p / stride - 0.5}
   * (cell centres at integers). Returns {@code [n, cropSize]}.
   */
  private static Operand<TFloat32> samplePositions(
      Ops tf, Operand<TFloat32> low, Operand<TFloat32> high, Operand<TFloat32> stride, Operand<TFloat32> along,
      Operand<TFloat32> last) {
    Operand<TFloat32> half = tf.constant(0.5f);
    Operand<TFloat32> start = tf.math.sub(tf.math.div(low, stride), half);
    Operand<TFloat32> end = tf.math.sub(tf.math.div(high, stride), half);
    Operand<TFloat32> positions = tf.math.add(
        tf.expandDims(start, tf.constant(1)), tf.math.mul(tf.expandDims(tf.math.sub(end, start), tf.constant(1)), along));
    return tf.math.minimum(tf.math.maximum(positions, tf.constant(0f)), tf.math.maximum(last, tf.constant(0f)));
  }
}
