package org.mustjava.experiments.pseudolabel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.data.example.DepthType;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.pipeline.ImageNormalization;

/**
 * A teacher for pseudo-labelling: any SavedModel with a signature that maps a batch of images to
 * one task's predictions, plus what its input expects and its outputs mean. The project's own
 * exports (a {@code MultiTaskTrainingTask} with one head, {@code export/final}) need only {@code
 * task} and {@code directory}: every other parameter defaults to what they are.
 *
 * <p>This object is the configuration; {@link #load} opens the model and checks it against the
 * configuration (signature, input, output names, ranks and types), with errors naming the teacher
 * ({@link #description()}) and the tensor.
 *
 * <p>Label-making parameters (temperature, thresholds) are per teacher because each applies to one
 * task; they are documented in {@code docs/tfrecord-features.md}, "Pseudo-labels".
 *
 * <p>Serializable: the Beam engine ships the configuration to its workers, which load the model.
 */
public final class SavedModelTeacher implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  /** The label type's config name (a string: label types are not serializable). */
  private final String task;
  private final String directory;
  private final String signature;
  private final String inputName;
  private final int inputSize;
  private final boolean keepAspect;
  private final float[] inputMean;
  private final float[] inputStd;
  private final Map<String, String> outputs;
  private final BoxFormat boxFormat;
  private final int classOffset;
  private final float temperature;
  private final float scoreThreshold;
  private final float nmsIouThreshold;
  private final int maxBoxes;
  private final float confidenceThreshold;
  private final DepthType depthType;
  private final boolean optimize;

  /**
   * @param task {@code 'classification'}, {@code 'detection'}, {@code 'segmentation'}, {@code 'depth'} or
   *     {@code 'normals'}
   * @param directory the SavedModel directory (relative: to the model directory)
   * @param signature the signature key; {@code ''}: {@code serving_default} if the model has it,
   *     else its only signature, else the one named by {@code task} (the project's exports have one
   *     signature per head, named by the head, e.g. {@code classification}; so a teacher on a
   *     multi-head export such as the student's picks its head by its task)
   * @param inputName the signature input fed with images; {@code ''}: its only input
   * @param inputSize S: images are resized to S x S for the teacher ({@code keep_aspect}); 0: the
   *     signature input's static size (an error if it has none)
   * @param keepAspect True: resize the longer side to S and pad bottom/right with the mean colour
   *     (the project's evaluation preprocessing); False: stretch to S x S
   * @param inputMean per-channel mean on the 0..255 scale subtracted from float inputs; None: the
   *     project's ImageNet mean ({@code ImageNormalization}), what its exports expect
   * @param inputStd per-channel divisor on the 0..255 scale; None: the project's ImageNet std. (For a
   *     model taking 0..1 inputs: mean [0, 0, 0], std [255, 255, 255].) A uint8 input gets the
   *     resized 0..255 pixels and ignores both.
   * @param outputs meaning -> output tensor name of the signature ({}: the project's head output
   *     names, see each label type's {@link PseudoLabeler}); classification {@code logits} or {@code probabilities};
   *     detection {@code boxes}, {@code scores}, {@code classes}, optional {@code count};
   *     segmentation {@code logits} or {@code probabilities}; depth {@code depth} or {@code inverse_depth};
   *     normals {@code normals}
   * @param boxFormat detection boxes: {@code 'yxyx_normalized'}, {@code 'xyxy_normalized'},
   *     {@code 'yxyx_pixels'} or {@code 'xyxy_pixels'} (pixels of the S x S input)
   * @param classOffset added to detection class ids (e.g. 1 for a detector with 0-based classes:
   *     records use 1..K, 0 = background)
   * @param temperature classification: soft labels are softmax(logits / T) (probabilities p become
   *     p^(1/T), renormalised)
   * @param scoreThreshold detection: boxes scoring at least this become labels (0.5 in the paper)
   * @param nmsIouThreshold detection: per-class NMS at this IoU, in original-image pixels, after
   *     thresholding (1.0: none)
   * @param maxBoxes detection: at most this many boxes per image (the best scoring)
   * @param confidenceThreshold segmentation: pixels whose top probability is below this are 255 (ignore)
   * @param depthType depth: {@code 'metric'}, {@code 'relative'} or {@code 'inverse_relative'}
   *     ({@code image/depth/type}); {@code ''}: {@code relative} for a {@code depth} output,
   *     {@code inverse_relative} for {@code inverse_depth}
   * @param optimize run a rewritten graph: pruned to the signature, variables frozen, BatchNorm
   *     folded into the convolutions ({@code InferenceGraphOptimizer}); a graph that cannot be
   *     rewritten (e.g. a TF2 SavedModel's function calls) runs as it is. Costs seconds once
   *     (loading, and TensorFlow's first optimisation of a graph with large constants); after that
   *     it was at least as fast as the exported graph (BENCHMARKS.md, "Pseudo-labelling")
   */
  @Configurable("SavedModelTeacher")
  public SavedModelTeacher(
      String task,
      String directory,
      @Default("''") String signature,
      @Default("''") String inputName,
      @Default("0") int inputSize,
      @Default("True") boolean keepAspect,
      Optional<List<Double>> inputMean,
      Optional<List<Double>> inputStd,
      @Default("{}") Map<String, String> outputs,
      @Default("'yxyx_normalized'") String boxFormat,
      @Default("0") int classOffset,
      @Default("1.0") float temperature,
      @Default("0.5") float scoreThreshold,
      @Default("0.5") float nmsIouThreshold,
      @Default("100") int maxBoxes,
      @Default("0.5") float confidenceThreshold,
      @Default("''") String depthType,
      @Default("True") boolean optimize) {
    LabelType labelType = PseudoLabelers.parseTask(task);
    this.task = labelType.name();
    if (directory.isBlank()) throw new IllegalArgumentException("SavedModelTeacher.directory is empty");
    this.directory = directory;
    this.signature = signature;
    this.inputName = inputName;
    if (inputSize < 0) throw new IllegalArgumentException("SavedModelTeacher.input_size must be >= 0, got " + inputSize);
    this.inputSize = inputSize;
    this.keepAspect = keepAspect;
    this.inputMean = channels("input_mean", inputMean, ImageNormalization.MEAN_RGB, false);
    this.inputStd = channels("input_std", inputStd, ImageNormalization.STDDEV_RGB, true);
    this.outputs = outputs.isEmpty() ? PseudoLabelers.of(labelType).defaultOutputs() : new LinkedHashMap<>(outputs);
    PseudoLabelers.of(labelType).validateOutputs(this.outputs);
    this.boxFormat = BoxFormat.parse(boxFormat);
    this.classOffset = classOffset;
    if (!(temperature > 0f)) throw new IllegalArgumentException("SavedModelTeacher.temperature must be > 0, got " + temperature);
    this.temperature = temperature;
    this.scoreThreshold = scoreThreshold;
    if (!(nmsIouThreshold > 0f && nmsIouThreshold <= 1f)) {
      throw new IllegalArgumentException("SavedModelTeacher.nms_iou_threshold must be in (0, 1], got " + nmsIouThreshold);
    }
    this.nmsIouThreshold = nmsIouThreshold;
    if (maxBoxes < 1) throw new IllegalArgumentException("SavedModelTeacher.max_boxes must be >= 1, got " + maxBoxes);
    this.maxBoxes = maxBoxes;
    this.confidenceThreshold = confidenceThreshold;
    this.depthType = depthType(depthType, this.outputs.containsKey("inverse_depth"));
    this.optimize = optimize;
  }

  private static float[] channels(String name, Optional<List<Double>> value, float[] fallback, boolean positive) {
    if (value.isEmpty()) return fallback.clone();
    List<Double> v = value.get();
    if (v.size() != 3) throw new IllegalArgumentException("SavedModelTeacher." + name + " needs 3 values (R, G, B), got " + v);
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      out[i] = v.get(i).floatValue();
      if (positive && !(out[i] > 0f)) throw new IllegalArgumentException("SavedModelTeacher." + name + " must be > 0, got " + v);
    }
    return out;
  }

  private static DepthType depthType(String s, boolean inverse) {
    if (s.isEmpty()) return inverse ? DepthType.INVERSE_RELATIVE : DepthType.RELATIVE;
    DepthType t;
    try {
      t = DepthType.fromFeatureValue(s);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("SavedModelTeacher.depth_type must be 'metric', 'relative' or "
          + "'inverse_relative'; got '" + s + "'");
    }
    if (inverse != (t == DepthType.INVERSE_RELATIVE)) {
      throw new IllegalArgumentException("SavedModelTeacher.depth_type '" + s + "' does not fit the output "
          + (inverse ? "'inverse_depth'" : "'depth'") + " (inverse_depth goes with 'inverse_relative')");
    }
    return t;
  }

  /** Opens the SavedModel ({@code directory} relative to {@code modelDir}) and checks it. */
  public Teacher load(Path modelDir) {
    return Teacher.loadAll(List.of(this), modelDir, (c, t) -> {}).get(0);
  }

  /** The SavedModel directory: {@code directory}, relative to {@code modelDir}. */
  Path resolve(Path modelDir) {
    return (Path.of(directory).isAbsolute() ? Path.of(directory) : modelDir.resolve(directory)).normalize();
  }

  /**
   * Every parameter, one per line in a fixed order: what the pseudo-labels depend on besides the
   * model files (the stage records it to refuse mixing shards of different settings).
   */
  public String settings() {
    return "task = " + task + "\ndirectory = " + directory + "\nsignature = " + signature
        + "\ninput_name = " + inputName + "\ninput_size = " + inputSize + "\nkeep_aspect = " + keepAspect
        + "\ninput_mean = " + java.util.Arrays.toString(inputMean) + "\ninput_std = " + java.util.Arrays.toString(inputStd)
        + "\noutputs = " + new java.util.TreeMap<>(outputs) + "\nbox_format = " + boxFormat + "\nclass_offset = " + classOffset
        + "\ntemperature = " + temperature + "\nscore_threshold = " + scoreThreshold + "\nnms_iou_threshold = "
        + nmsIouThreshold + "\nmax_boxes = " + maxBoxes + "\nconfidence_threshold = " + confidenceThreshold
        + "\ndepth_type = " + depthType.featureValue() + "\noptimize = " + optimize + "\n";
  }

  /** "teacher 'DIR' (task)", for messages. */
  public String description() {
    return "teacher '" + directory + "' (" + task + ")";
  }

  /** The label type this teacher makes. */
  public LabelType task() {
    return PseudoLabelers.parseTask(task);
  }

  public String directory() {
    return directory;
  }

  String signature() {
    return signature;
  }

  String inputName() {
    return inputName;
  }

  int inputSize() {
    return inputSize;
  }

  boolean keepAspect() {
    return keepAspect;
  }

  float[] inputMean() {
    return inputMean.clone();
  }

  float[] inputStd() {
    return inputStd.clone();
  }

  /** Meaning -> output tensor name, defaults filled in. */
  public Map<String, String> outputs() {
    return Map.copyOf(outputs);
  }

  BoxFormat boxFormat() {
    return boxFormat;
  }

  int classOffset() {
    return classOffset;
  }

  float temperature() {
    return temperature;
  }

  float scoreThreshold() {
    return scoreThreshold;
  }

  float nmsIouThreshold() {
    return nmsIouThreshold;
  }

  int maxBoxes() {
    return maxBoxes;
  }

  float confidenceThreshold() {
    return confidenceThreshold;
  }

  boolean optimize() {
    return optimize;
  }

  DepthType depthType() {
    return depthType;
  }
}
