package org.mustjava.data.augment;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.data.pipeline.ImageNormalization;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.image.CropAndResize;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * SimCLR's view augmentation (Chen et al. 2020, appendix A), applied to a whole batch in the graph:
 * random resized crop (area fraction and aspect ratio drawn per image) with a random horizontal
 * flip, colour jitter with probability {@code colorJitterProbability} (brightness, contrast,
 * saturation by factors in {@code [1 - 0.8 s, 1 + 0.8 s]}, hue shifted by up to {@code 0.2 s},
 * clipped to [0, 1] after each), random grey-scale, and a Gaussian blur (sigma in {@code blurSigma},
 * kernel side 10% of the output, reflect padding) with probability {@code blurProbability}.
 *
 * <p>Input and output are normalised images ({@link ImageNormalization}); colour operations work on
 * the de-normalised [0, 1] RGB. Crops are drawn inside each image's valid region (the top-left
 * {@code validHeight x validWidth} fraction, which excludes evaluation-style padding).
 *
 * <p>The four jitter operations run in a random order per image, as in the reference code. One
 * deviation: a crop that does not fit is clipped to the image rather than redrawn up to ten times.
 * Every draw comes from one stateless random op ({@code [B, 17]} uniforms) seeded by the caller, so
 * a view is a pure function of (image, seed).
 */
public final class SimCLRAugmentation {
  /** Uniform draws per image: crop 0-4, jitter 5-9, grey 10, blur 11-12, jitter order 13-16. */
  private static final int DRAWS = 17;
  private static final float[] LUMA = {0.2989f, 0.5870f, 0.1140f};

  private final int outputSize;
  private final double minArea;
  private final double maxArea;
  private final double minAspect;
  private final double maxAspect;
  private final boolean horizontalFlip;
  private final double colorJitterStrength;
  private final double colorJitterProbability;
  private final double grayscaleProbability;
  private final double blurProbability;
  private final double minSigma;
  private final double maxSigma;

  /**
   * @param outputSize side of the square views in pixels
   * @param cropArea {@code [min, max]} fraction of the image area a crop covers (SimCLR: [0.08, 1])
   * @param aspectRatio {@code [min, max]} crop width / height ([3/4, 4/3])
   * @param colorJitterStrength s: 1.0 on ImageNet, 0.5 on CIFAR in SimCLR
   * @param blurProbability 0.5 on ImageNet, 0 on CIFAR (32 px) in SimCLR
   * @param blurSigma {@code [min, max]} sigma in pixels of the output
   */
  @Configurable("SimCLRAugmentation")
  public SimCLRAugmentation(
      int outputSize,
      @Default("[0.08, 1.0]") List<Double> cropArea,
      @Default("[0.75, 1.3333333333333333]") List<Double> aspectRatio,
      @Default("True") boolean horizontalFlip,
      @Default("1.0") double colorJitterStrength,
      @Default("0.8") double colorJitterProbability,
      @Default("0.2") double grayscaleProbability,
      @Default("0.5") double blurProbability,
      @Default("[0.1, 2.0]") List<Double> blurSigma) {
    if (outputSize < 1) throw new IllegalArgumentException("SimCLRAugmentation.output_size must be positive, got " + outputSize);
    range("crop_area", cropArea, 0, 1);
    range("aspect_ratio", aspectRatio, 0, Double.POSITIVE_INFINITY);
    range("blur_sigma", blurSigma, 0, Double.POSITIVE_INFINITY);
    probability("color_jitter_probability", colorJitterProbability);
    probability("grayscale_probability", grayscaleProbability);
    probability("blur_probability", blurProbability);
    if (!(colorJitterStrength >= 0)) {
      throw new IllegalArgumentException("SimCLRAugmentation.color_jitter_strength must be >= 0, got " + colorJitterStrength);
    }
    this.outputSize = outputSize;
    this.minArea = cropArea.get(0);
    this.maxArea = cropArea.get(1);
    this.minAspect = aspectRatio.get(0);
    this.maxAspect = aspectRatio.get(1);
    this.horizontalFlip = horizontalFlip;
    this.colorJitterStrength = colorJitterStrength;
    this.colorJitterProbability = colorJitterProbability;
    this.grayscaleProbability = grayscaleProbability;
    this.blurProbability = blurProbability;
    this.minSigma = blurSigma.get(0);
    this.maxSigma = blurSigma.get(1);
  }

  /** SimCLR's ImageNet settings at {@code outputSize}. */
  public static SimCLRAugmentation imageNet(int outputSize) {
    return new SimCLRAugmentation(outputSize, List.of(0.08, 1.0), List.of(0.75, 4.0 / 3), true, 1.0, 0.8, 0.2,
        0.5, List.of(0.1, 2.0));
  }

  private static void range(String name, List<Double> r, double lo, double hi) {
    if (r.size() != 2 || !(r.get(0) > lo) || !(r.get(1) >= r.get(0)) || !(r.get(1) <= hi)) {
      throw new IllegalArgumentException("SimCLRAugmentation." + name + " must be [min, max] with " + lo
          + " < min <= max" + (Double.isInfinite(hi) ? "" : " <= " + hi) + ", got " + r);
    }
  }

  private static void probability(String name, double p) {
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("SimCLRAugmentation." + name + " must be in [0, 1], got " + p);
  }

  public int outputSize() {
    return outputSize;
  }

  /** Side of the blur kernel at the output size: SimCLR's {@code 2 * (size / 10 / 2) + 1}. */
  public int blurKernelSize() {
    return 2 * (outputSize / 10 / 2) + 1;
  }

  /**
   * One view of every image of the batch.
   *
   * @param images normalised {@code [B, H, W, 3]}
   * @param validHeight float32 {@code [B]}: fraction of the rows holding the image (1 without padding)
   * @param validWidth float32 {@code [B]}: fraction of the columns holding the image
   * @param seed int64 {@code [2]} stateless seed of this batch and view
   * @return normalised {@code [B, outputSize, outputSize, 3]}
   */
  public Operand<TFloat32> apply(Ops tf, Operand<TFloat32> images, Operand<TFloat32> validHeight,
      Operand<TFloat32> validWidth, Operand<TInt64> seed) {
    Operand<TInt32> shape = tf.shape(images);
    Operand<TInt32> batch = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TFloat32> u = tf.random.statelessRandomUniform(
        tf.stack(List.of(batch, tf.constant(DRAWS))), seed, TFloat32.class);
    Operand<TFloat32> x = crop(tf, images, shape, validHeight, validWidth, u);
    x = toUnitRgb(tf, x);
    if (colorJitterProbability > 0 && colorJitterStrength > 0) {
      x = blend(tf, below(tf, draw(tf, u, 5), colorJitterProbability), colorJitter(tf, x, u), x);
    }
    x = blend(tf, below(tf, draw(tf, u, 10), grayscaleProbability), grey(tf, x), x);
    if (blurProbability > 0 && blurKernelSize() > 1) {
      Operand<TFloat32> sigma = tf.math.add(tf.constant((float) minSigma),
          tf.math.mul(draw(tf, u, 12), tf.constant((float) (maxSigma - minSigma))));
      x = blend(tf, below(tf, draw(tf, u, 11), blurProbability), blur(tf, x, sigma), x);
    }
    return fromUnitRgb(tf, clip(tf, x));
  }

  /**
   * Brightness, contrast, saturation and hue in a random order per image, as SimCLR's {@code
   * color_jitter_rand}: at each of the four slots every operation is computed and the image's own
   * choice kept (4 x the cost of one pass; cheap next to the network). The order is the arg-sort
   * of four uniforms ({@code TopK} indices).
   */
  private Operand<TFloat32> colorJitter(Ops tf, Operand<TFloat32> x, Operand<TFloat32> u) {
    double s = colorJitterStrength;
    Operand<TFloat32> brightness = perImage(tf, factor(tf, draw(tf, u, 6), 0.8 * s));
    Operand<TFloat32> contrastFactor = factor(tf, draw(tf, u, 7), 0.8 * s);
    Operand<TFloat32> saturation = factor(tf, draw(tf, u, 8), 0.8 * s);
    Operand<TFloat32> hue = tf.math.mul(tf.math.sub(tf.math.mul(draw(tf, u, 9), tf.constant(2f)), tf.constant(1f)),
        tf.constant((float) (0.2 * s)));
    Operand<TFloat32> keys = tf.slice(u, tf.constant(new int[] {0, 13}), tf.constant(new int[] {-1, 4}));
    Operand<TInt32> order = tf.nn.topK(keys, tf.constant(4), new org.tensorflow.op.nn.TopK.Options[0]).indices();
    for (int slot = 0; slot < 4; slot++) {
      Operand<TInt32> chosen = tf.gather(order, tf.constant(slot), tf.constant(1));
      Operand<TFloat32> next = null;
      for (int op = 0; op < 4; op++) {
        Operand<TFloat32> applied = switch (op) {
          case 0 -> tf.math.mul(x, brightness);
          case 1 -> contrast(tf, x, contrastFactor);
          case 2 -> saturationAndHue(tf, x, saturation, tf.zerosLike(hue));
          default -> saturationAndHue(tf, x, tf.onesLike(saturation), hue);
        };
        Operand<TFloat32> mask = perImage(tf, tf.dtypes.cast(tf.math.equal(chosen, tf.constant(op)), TFloat32.class));
        Operand<TFloat32> term = tf.math.mul(mask, clip(tf, applied));
        next = next == null ? term : tf.math.add(next, term);
      }
      x = next;
    }
    return x;
  }

  /** Column {@code i} of the draws, {@code [B]}. */
  private static Operand<TFloat32> draw(Ops tf, Operand<TFloat32> u, int i) {
    return tf.gather(u, tf.constant(i), tf.constant(1));
  }

  /** {@code 1 + (2u - 1) * delta}, at least 0. */
  private static Operand<TFloat32> factor(Ops tf, Operand<TFloat32> u, double delta) {
    Operand<TFloat32> f = tf.math.add(tf.constant(1f),
        tf.math.mul(tf.math.sub(tf.math.mul(u, tf.constant(2f)), tf.constant(1f)), tf.constant((float) delta)));
    return tf.math.maximum(f, tf.constant(0f));
  }

  /** 1 where {@code u < p}, else 0, shaped {@code [B, 1, 1, 1]}. */
  private static Operand<TFloat32> below(Ops tf, Operand<TFloat32> u, double p) {
    return perImage(tf, tf.dtypes.cast(tf.math.less(u, tf.constant((float) p)), TFloat32.class));
  }

  private static Operand<TFloat32> perImage(Ops tf, Operand<TFloat32> v) {
    return tf.reshape(v, tf.constant(new int[] {-1, 1, 1, 1}));
  }

  private static Operand<TFloat32> blend(Ops tf, Operand<TFloat32> mask, Operand<TFloat32> a, Operand<TFloat32> b) {
    return tf.math.add(tf.math.mul(mask, a), tf.math.mul(tf.math.sub(tf.constant(1f), mask), b));
  }

  private static Operand<TFloat32> clip(Ops tf, Operand<TFloat32> x) {
    return tf.clipByValue(x, tf.constant(0f), tf.constant(1f));
  }

  /**
   * Random resized crop + flip as one {@code CropAndResize}: box i covers an area fraction and
   * aspect ratio drawn for image i, placed uniformly inside its valid region; a flip swaps the
   * box's x ends (CropAndResize then samples mirrored). Output pixel centres sample the crop's
   * pixel grid (half-pixel convention); samples outside the image read 0 (the mean colour).
   */
  private Operand<TFloat32> crop(Ops tf, Operand<TFloat32> images, Operand<TInt32> shape,
      Operand<TFloat32> validHeight, Operand<TFloat32> validWidth, Operand<TFloat32> u) {
    Operand<TFloat32> h = tf.dtypes.cast(tf.gather(shape, tf.constant(1), tf.constant(0)), TFloat32.class);
    Operand<TFloat32> w = tf.dtypes.cast(tf.gather(shape, tf.constant(2), tf.constant(0)), TFloat32.class);
    Operand<TFloat32> regionH = tf.math.mul(validHeight, h);
    Operand<TFloat32> regionW = tf.math.mul(validWidth, w);
    Operand<TFloat32> area = tf.math.mul(tf.math.mul(regionH, regionW), uniform(tf, draw(tf, u, 0), minArea, maxArea));
    Operand<TFloat32> ratio = tf.math.exp(uniform(tf, draw(tf, u, 1), Math.log(minAspect), Math.log(maxAspect)));
    Operand<TFloat32> cropW = tf.math.minimum(tf.math.sqrt(tf.math.mul(area, ratio)), regionW);
    Operand<TFloat32> cropH = tf.math.minimum(tf.math.sqrt(tf.math.div(area, ratio)), regionH);
    Operand<TFloat32> y0 = tf.math.mul(draw(tf, u, 2), tf.math.sub(regionH, cropH));
    Operand<TFloat32> x0 = tf.math.mul(draw(tf, u, 3), tf.math.sub(regionW, cropW));
    // Normalised CropAndResize coordinates: index i sits at i / (size - 1).
    Operand<TFloat32> y1 = edge(tf, y0, cropH, 0.5, regionH, h);
    Operand<TFloat32> y2 = edge(tf, y0, cropH, outputSize - 0.5, regionH, h);
    Operand<TFloat32> x1 = edge(tf, x0, cropW, 0.5, regionW, w);
    Operand<TFloat32> x2 = edge(tf, x0, cropW, outputSize - 0.5, regionW, w);
    if (horizontalFlip) {
      Operand<TFloat32> flip = tf.dtypes.cast(tf.math.less(draw(tf, u, 4), tf.constant(0.5f)), TFloat32.class);
      Operand<TFloat32> left = tf.math.add(tf.math.mul(flip, x2), tf.math.mul(tf.math.sub(tf.constant(1f), flip), x1));
      Operand<TFloat32> right = tf.math.add(tf.math.mul(flip, x1), tf.math.mul(tf.math.sub(tf.constant(1f), flip), x2));
      x1 = left;
      x2 = right;
    }
    Operand<TFloat32> boxes = tf.stack(List.of(y1, x1, y2, x2), org.tensorflow.op.core.Stack.axis(1L));
    Operand<TInt32> batch = tf.gather(shape, tf.constant(0), tf.constant(0));
    Operand<TInt32> index = tf.range(tf.constant(0), batch, tf.constant(1));
    return tf.image.cropAndResize(images, boxes, index, tf.constant(new int[] {outputSize, outputSize}),
        CropAndResize.method("bilinear"), CropAndResize.extrapolationValue(0f));
  }

  /**
   * The normalised coordinate of output pixel centre {@code at = j + 0.5} inside a crop at {@code
   * start} of {@code length}, clamped to the region's first and last pixel centres so that no
   * sample extrapolates or blends in padding (as a half-pixel resize clamps at the borders).
   */
  private Operand<TFloat32> edge(Ops tf, Operand<TFloat32> start, Operand<TFloat32> length, double at,
      Operand<TFloat32> region, Operand<TFloat32> size) {
    Operand<TFloat32> index = tf.math.sub(
        tf.math.add(start, tf.math.mul(length, tf.constant((float) (at / outputSize)))), tf.constant(0.5f));
    Operand<TFloat32> last = tf.math.maximum(tf.math.sub(tf.math.round(region), tf.constant(1f)), tf.constant(0f));
    index = tf.math.minimum(tf.math.maximum(index, tf.constant(0f)), last);
    return tf.math.div(index, tf.math.maximum(tf.math.sub(size, tf.constant(1f)), tf.constant(1f)));
  }

  private static Operand<TFloat32> uniform(Ops tf, Operand<TFloat32> u, double lo, double hi) {
    return tf.math.add(tf.constant((float) lo), tf.math.mul(u, tf.constant((float) (hi - lo))));
  }

  /** Per channel: {@code (x - mean) * factor + mean}, the mean over each image's pixels (tf.image.adjust_contrast). */
  private static Operand<TFloat32> contrast(Ops tf, Operand<TFloat32> x, Operand<TFloat32> factor) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(new int[] {1, 2}), Mean.keepDims(true));
    return tf.math.add(tf.math.mul(tf.math.sub(x, mean), perImage(tf, factor)), mean);
  }

  /** In HSV: saturation times {@code factor} (clipped to [0, 1]), hue plus {@code delta} (mod 1). */
  private static Operand<TFloat32> saturationAndHue(Ops tf, Operand<TFloat32> x, Operand<TFloat32> factor,
      Operand<TFloat32> delta) {
    Operand<TFloat32> hsv = tf.image.rgbToHsv(x);
    Operand<TInt32> axis = tf.constant(3);
    List<Operand<TFloat32>> parts = new ArrayList<>();
    for (var p : tf.split(axis, hsv, 3L)) parts.add(p);
    Operand<TFloat32> hue = tf.math.floorMod(tf.math.add(parts.get(0), perImage(tf, delta)), tf.constant(1f));
    Operand<TFloat32> sat = clip(tf, tf.math.mul(parts.get(1), perImage(tf, factor)));
    return tf.image.hsvToRgb(tf.concat(List.of(hue, sat, parts.get(2)), axis));
  }

  private static Operand<TFloat32> grey(Ops tf, Operand<TFloat32> x) {
    Operand<TFloat32> y = tf.reduceSum(tf.math.mul(x, tf.constant(LUMA)), tf.constant(3), ReduceSum.keepDims(true));
    return tf.concat(List.of(y, y, y), tf.constant(3));
  }

  /** Separable Gaussian blur with a per-image sigma {@code [B]}: K weighted shifts along x, then along y. */
  private Operand<TFloat32> blur(Ops tf, Operand<TFloat32> x, Operand<TFloat32> sigma) {
    int k = blurKernelSize();
    int r = k / 2;
    float[] offsets = new float[k];
    for (int i = 0; i < k; i++) offsets[i] = i - r;
    // weights [B, K]: exp(-d^2 / (2 sigma^2)), normalised.
    Operand<TFloat32> s = tf.reshape(sigma, tf.constant(new int[] {-1, 1}));
    Operand<TFloat32> d2 = tf.math.square(tf.constant(new float[][] {offsets}));
    Operand<TFloat32> wts = tf.math.exp(tf.math.neg(tf.math.div(d2, tf.math.mul(tf.math.square(s), tf.constant(2f)))));
    wts = tf.math.div(wts, tf.reduceSum(wts, tf.constant(1), ReduceSum.keepDims(true)));
    x = blurAxis(tf, x, wts, k, 2);
    return blurAxis(tf, x, wts, k, 1);
  }

  private Operand<TFloat32> blurAxis(Ops tf, Operand<TFloat32> x, Operand<TFloat32> wts, int k, int axis) {
    int r = k / 2;
    int[][] pad = new int[4][2];
    pad[axis] = new int[] {r, r};
    Operand<TFloat32> padded = tf.mirrorPad(x, tf.constant(pad), "REFLECT");
    Operand<TFloat32> sum = null;
    for (int i = 0; i < k; i++) {
      int[] begin = {0, 0, 0, 0};
      int[] size = {-1, -1, -1, -1};
      begin[axis] = i;
      size[axis] = outputSize;
      Operand<TFloat32> shifted = tf.slice(padded, tf.constant(begin), tf.constant(size));
      Operand<TFloat32> term = tf.math.mul(shifted, perImage(tf, tf.gather(wts, tf.constant(i), tf.constant(1))));
      sum = sum == null ? term : tf.math.add(sum, term);
    }
    return sum;
  }

  private static Operand<TFloat32> toUnitRgb(Ops tf, Operand<TFloat32> normalized) {
    Operand<TFloat32> rgb = tf.math.add(tf.math.mul(normalized, tf.constant(ImageNormalization.STDDEV_RGB)),
        tf.constant(ImageNormalization.MEAN_RGB));
    return tf.math.div(rgb, tf.constant(255f));
  }

  private static Operand<TFloat32> fromUnitRgb(Ops tf, Operand<TFloat32> unit) {
    return tf.math.div(tf.math.sub(tf.math.mul(unit, tf.constant(255f)), tf.constant(ImageNormalization.MEAN_RGB)),
        tf.constant(ImageNormalization.STDDEV_RGB));
  }

  @Override
  public String toString() {
    return "SimCLRAugmentation(" + outputSize + " px, area [" + minArea + ", " + maxArea + "], jitter "
        + colorJitterStrength + ", blur p " + blurProbability + ")";
  }
}
