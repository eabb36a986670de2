package org.mustjava.models.detection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Anchor boxes for every location of every pyramid level.
 *
 * <p>Level {@code l} has stride {@code 2^l}; its anchors are centred on the cells' centres
 * {@code ((i + 0.5) * stride, (j + 0.5) * stride)} and have, for each octave scale {@code s} and
 * aspect ratio {@code a = width / height}, the area of a square of side
 * {@code anchorSize * stride * 2^(s / numScales)}. Defaults are Model Garden's Mask R-CNN ones
 * (levels 2..6, one scale, ratios 0.5/1/2, anchor size 8, i.e. Detectron's 32..512 px FPN anchors).
 *
 * <p>Order of the flattened anchors of a level: row, column, then scale-major (scale, ratio) — the
 * order in which a head's {@code [B, H, W, A * k]} output reshapes to {@code [B, H * W * A, k]}.
 * The grid is taken from the feature map's runtime shape, so the graph works at any input size.
 */
public final class AnchorGenerator {
  private final int minLevel;
  private final int maxLevel;
  private final int numScales;
  private final List<Double> aspectRatios;
  private final double anchorSize;

  /** Model Garden / Detectron FPN defaults. */
  public static AnchorGenerator defaults() {
    return ConfigDefaults.create(AnchorGenerator.class, Map.of());
  }

  /**
   * @param minLevel finest pyramid level with anchors
   * @param maxLevel coarsest pyramid level with anchors
   * @param numScales octave scales per level
   * @param aspectRatios width / height ratios
   * @param anchorSize anchor side in units of the level's stride
   */
  @Configurable("AnchorGenerator")
  public AnchorGenerator(
      @Default("2") int minLevel, @Default("6") int maxLevel, @Default("1") int numScales,
      @Default("[0.5, 1.0, 2.0]") List<? extends Number> aspectRatios, @Default("8.0") double anchorSize) {
    if (minLevel < 1 || maxLevel < minLevel) {
      throw new IllegalArgumentException("AnchorGenerator: need 1 <= minLevel <= maxLevel, got " + minLevel + ".." + maxLevel);
    }
    if (numScales < 1) throw new IllegalArgumentException("AnchorGenerator.num_scales must be >= 1, got " + numScales);
    if (aspectRatios.isEmpty()) throw new IllegalArgumentException("AnchorGenerator.aspect_ratios must not be empty");
    List<Double> ratios = new ArrayList<>();
    for (Number r : aspectRatios) {
      if (!(r.doubleValue() > 0)) throw new IllegalArgumentException("AnchorGenerator.aspect_ratios must be positive: " + aspectRatios);
      ratios.add(r.doubleValue());
    }
    if (!(anchorSize > 0)) throw new IllegalArgumentException("AnchorGenerator.anchor_size must be positive, got " + anchorSize);
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.numScales = numScales;
    this.aspectRatios = List.copyOf(ratios);
    this.anchorSize = anchorSize;
  }

  public int minLevel() {
    return minLevel;
  }

  public int maxLevel() {
    return maxLevel;
  }

  /** Anchors per feature-map cell: scales x aspect ratios. */
  public int anchorsPerLocation() {
    return numScales * aspectRatios.size();
  }

  /** The (height, width) in pixels of each anchor of one cell of {@code level}, in flattening order. */
  public double[][] anchorShapes(int level) {
    checkLevel(level);
    double stride = Math.pow(2, level);
    double[][] shapes = new double[anchorsPerLocation()][];
    int k = 0;
    for (int s = 0; s < numScales; s++) {
      double side = anchorSize * stride * Math.pow(2, (double) s / numScales);
      for (double ratio : aspectRatios) {
        double sqrt = Math.sqrt(ratio);
        shapes[k++] = new double[] {side / sqrt, side * sqrt};
      }
    }
    return shapes;
  }

  /** Anchors of one level for a feature map of {@code height x width} cells: {@code [H * W * A, 4]}, pixels. */
  public Operand<TFloat32> levelAnchors(Ops tf, int level, Operand<TInt32> height, Operand<TInt32> width) {
    double[][] shapes = anchorShapes(level);
    float stride = (float) Math.pow(2, level);
    float[] halfH = new float[shapes.length];
    float[] halfW = new float[shapes.length];
    for (int a = 0; a < shapes.length; a++) {
      halfH[a] = (float) (shapes[a][0] / 2);
      halfW[a] = (float) (shapes[a][1] / 2);
    }
    Operand<TFloat32> ys = cellCentres(tf, height, stride); // [H]
    Operand<TFloat32> xs = cellCentres(tf, width, stride); // [W]
    Operand<TFloat32> cy = tf.reshape(ys, tf.constant(new int[] {-1, 1, 1}));
    Operand<TFloat32> cx = tf.reshape(xs, tf.constant(new int[] {1, -1, 1}));
    Operand<TFloat32> hh = tf.reshape(tf.constant(halfH), tf.constant(new int[] {1, 1, -1}));
    Operand<TFloat32> hw = tf.reshape(tf.constant(halfW), tf.constant(new int[] {1, 1, -1}));
    // Broadcast every coordinate to [H, W, A] before stacking.
    Operand<TFloat32> zeros = tf.math.mul(tf.math.mul(tf.math.mul(cy, cx), hh), tf.constant(0f));
    Operand<TFloat32> anchors = tf.stack(
        List.of(
            tf.math.add(tf.math.sub(cy, hh), zeros),
            tf.math.add(tf.math.sub(cx, hw), zeros),
            tf.math.add(tf.math.add(cy, hh), zeros),
            tf.math.add(tf.math.add(cx, hw), zeros)),
        Stack.axis(-1L));
    return tf.reshape(anchors, tf.constant(new int[] {-1, 4}));
  }

  /**
   * Anchors for each level of {@code features} (NHWC maps keyed by level) between minLevel and
   * maxLevel, in level order.
   *
   * @throws IllegalArgumentException if a level is missing from the pyramid
   */
  public Map<Integer, Operand<TFloat32>> generate(Ops tf, SortedMap<Integer, ? extends Operand<TFloat32>> features) {
    Map<Integer, Operand<TFloat32>> out = new LinkedHashMap<>();
    for (int level = minLevel; level <= maxLevel; level++) {
      Operand<TFloat32> f = features.get(level);
      if (f == null) {
        throw new IllegalArgumentException(
            "AnchorGenerator needs pyramid level " + level + " but the features have levels " + features.keySet());
      }
      Operand<TInt32> shape = tf.shape(f);
      Operand<TInt32> h = tf.gather(shape, tf.constant(1), tf.constant(0));
      Operand<TInt32> w = tf.gather(shape, tf.constant(2), tf.constant(0));
      out.put(level, levelAnchors(tf, level, h, w));
    }
    return out;
  }

  private static Operand<TFloat32> cellCentres(Ops tf, Operand<TInt32> count, float stride) {
    Operand<TFloat32> index = tf.dtypes.cast(tf.range(tf.constant(0), count, tf.constant(1)), TFloat32.class);
    return tf.math.mul(tf.math.add(index, tf.constant(0.5f)), tf.constant(stride));
  }

  private void checkLevel(int level) {
    if (level < minLevel || level > maxLevel) {
      throw new IllegalArgumentException("level " + level + " outside AnchorGenerator levels " + minLevel + ".." + maxLevel);
    }
  }
}
