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
 * {@code [i s, (i + 1) s)} at stride {@code s}). The sample positions are expressed as a
 * CropAndResize box whose first and last samples fall on the first and last bin sub-centres.
 * Boxes are grouped by level with Where/Gather and put back in order with DynamicStitch, so each
 * box is cropped once.
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
      Operand<TFloat32> f = features.get(level);
      Operand<TFloat32> cropBoxes = cropBoxes(tf, levelBoxes, f, level, cropSize);
      Operand<TFloat32> crop = tf.image.cropAndResize(
          f, cropBoxes, levelImages, tf.constant(new int[] {cropSize, cropSize}),
          CropAndResize.method("bilinear"));
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

  /** CropAndResize boxes (normalised to the feature map's {@code size - 1}) hitting the bin sub-centres. */
  private static Operand<TFloat32> cropBoxes(
      Ops tf, Operand<TFloat32> boxes, Operand<TFloat32> feature, int level, int cropSize) {
    Operand<TInt32> shape = tf.shape(feature);
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> height = tf.math.maximum(
        tf.math.sub(tf.dtypes.cast(tf.gather(shape, tf.constant(1), tf.constant(0)), TFloat32.class), one), one);
    Operand<TFloat32> width = tf.math.maximum(
        tf.math.sub(tf.dtypes.cast(tf.gather(shape, tf.constant(2), tf.constant(0)), TFloat32.class), one), one);
    List<Operand<TFloat32>> c = Boxes.coordinates(tf, boxes);
    Operand<TFloat32> stride = tf.constant((float) Math.pow(2, level));
    Operand<TFloat32> half = tf.constant(0.5f);
    // Continuous feature coordinates: pixel p lies at p / stride - 0.5 (cell centres at integers).
    Operand<TFloat32> y1 = tf.math.sub(tf.math.div(c.get(0), stride), half);
    Operand<TFloat32> x1 = tf.math.sub(tf.math.div(c.get(1), stride), half);
    Operand<TFloat32> y2 = tf.math.sub(tf.math.div(c.get(2), stride), half);
    Operand<TFloat32> x2 = tf.math.sub(tf.math.div(c.get(3), stride), half);
    Operand<TFloat32> halfBinY = tf.math.div(tf.math.sub(y2, y1), tf.constant(2f * cropSize));
    Operand<TFloat32> halfBinX = tf.math.div(tf.math.sub(x2, x1), tf.constant(2f * cropSize));
    return Boxes.fromCoordinates(
        tf,
        tf.math.div(tf.math.add(y1, halfBinY), height),
        tf.math.div(tf.math.add(x1, halfBinX), width),
        tf.math.div(tf.math.sub(y2, halfBinY), height),
        tf.math.div(tf.math.sub(x2, halfBinX), width));
  }
}
