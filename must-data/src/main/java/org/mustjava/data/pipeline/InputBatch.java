package org.mustjava.data.pipeline;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.data.labels.LabelType;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * The input contract between data pipelines and models: one batch of examples as named tensors
 * that are the outputs of a tf.data {@code IteratorGetNext} op in the model's own graph. Every
 * {@code Session.run} that fetches a tensor depending on them pulls the next batch; decoding and
 * augmentation run on tf.data threads, overlapping the training step.
 *
 * <p>Run {@link #initializer()} once per session before the first step (and again to restart an
 * evaluation pass from the beginning). A training pipeline repeats forever; an evaluation pipeline
 * ends after one pass with {@code TFOutOfRangeException} ("End of sequence") from the step that
 * asks for more.
 *
 * <p>Tensors ({@code B} = batch size, static for training, dynamic for evaluation where the last
 * batch may be smaller, unless the pipeline pads it ({@code padFinalBatch}); {@code S} = image size; {@code M} = max boxes; {@code C} = classes). Only the
 * tensors of the pipeline's tasks exist; the others are {@code null}.
 *
 * <table>
 *   <caption>tensors by name</caption>
 *   <tr><th>name</th><th>dtype, shape</th><th>meaning</th></tr>
 *   <tr><td>{@code image}</td><td>float32 [B, S, S, 3]</td><td>RGB normalised with the ImageNet
 *       mean/stddev ({@link ImageNormalization}); padding is 0</td></tr>
 *   <tr><td>{@code source_id}</td><td>string [B]</td><td>{@code image/source_id}, may be
 *       empty</td></tr>
 *   <tr><td>{@code original_height}</td><td>int32 [B]</td><td>height h of the decoded image
 *       before preprocessing</td></tr>
 *   <tr><td>{@code original_width}</td><td>int32 [B]</td><td>width w of the decoded image</td></tr>
 *   <tr><td>{@code scale}</td><td>float32 [B]</td><td>resize factor, resized / original (the same
 *       along both axes); see "Mapping back" below</td></tr>
 *   <tr><td>{@code example_valid}</td><td>float32 [B]</td><td>1 for an example, 0 for a row that
 *       pads the last evaluation batch (whose other tensors hold padding values, i.e. "no
 *       label"); the engine's evaluator drops such rows before metrics see them</td></tr>
 *   <tr><td>{@code corrupt_records_skipped}</td><td>int64 [B]</td><td>only with {@code
 *       skipCorrupt}: corrupt records skipped just before each example (0 in padding rows); the sum
 *       over batches is the count of a run or pass</td></tr>
 *   <tr><td>{@code class_label}</td><td>int32 [B]</td><td>classification: hard label (argmax of the
 *       probabilities for soft labels)</td></tr>
 *   <tr><td>{@code class_probs}</td><td>float32 [B, C]</td><td>classification: soft label, or the
 *       one-hot of the hard label; only when {@code numClasses} is set</td></tr>
 *   <tr><td>{@code boxes}</td><td>float32 [B, M, 4]</td><td>detection: (ymin, xmin, ymax, xmax)
 *       normalised to the S x S output (after augmentation), rows past {@code num_boxes} are
 *       0</td></tr>
 *   <tr><td>{@code box_classes}</td><td>int32 [B, M]</td><td>class per box, -1 in padding
 *       rows</td></tr>
 *   <tr><td>{@code num_boxes}</td><td>int32 [B]</td><td>valid rows of {@code boxes} (at most
 *       M; boxes beyond M are dropped)</td></tr>
 *   <tr><td>{@code box_difficult}</td><td>int32 [B, M]</td><td>1 for objects marked difficult
 *       ({@code image/object/difficult}, VOC), else 0</td></tr>
 *   <tr><td>{@code box_is_crowd}</td><td>int32 [B, M]</td><td>1 for crowd regions
 *       ({@code image/object/is_crowd}, COCO), else 0</td></tr>
 *   <tr><td>{@code detection_labelled}</td><td>float32 [B]</td><td>1 when the example carries
 *       detection labels (possibly zero boxes: a negative image), 0 for an example of a {@link
 *       DataSource} without them, which the detection losses skip</td></tr>
 *   <tr><td>{@code segmentation}</td><td>int32 [B, S, S]</td><td>class per pixel, 255 = ignore
 *       (also all padding)</td></tr>
 *   <tr><td>{@code depth}</td><td>float32 [B, S, S]</td><td>depth as stored (metres, or
 *       relative); 0 where invalid</td></tr>
 *   <tr><td>{@code depth_valid}</td><td>float32 [B, S, S]</td><td>1 where depth is a
 *       measurement, 0 elsewhere (missing, NaN, padding)</td></tr>
 *   <tr><td>{@code depth_type}</td><td>int32 [B]</td><td>{@link
 *       org.mustjava.data.example.DepthType#code()} of the record's {@code image/depth/type}
 *       (0 metric, 1 relative, 2 inverse relative)</td></tr>
 *   <tr><td>{@code normals}</td><td>float32 [B, S, S, 3]</td><td>unit normals, camera frame x
 *       right / y down / z forward (x negated on flips); 0 where invalid</td></tr>
 *   <tr><td>{@code normals_valid}</td><td>float32 [B, S, S]</td><td>1 where a normal is
 *       labelled</td></tr>
 * </table>
 *
 * <p><b>Examples without a label.</b> In a pipeline that mixes in {@link DataSource}s, an example
 * lacking a task's label has that task's padding values: class -1 and zero probabilities, no boxes
 * and {@code detection_labelled} 0, segmentation all 255, depth/normals all invalid. Each head's
 * loss counts only the examples that carry its label.
 *
 * <p><b>Mapping back (evaluation).</b> Evaluation resizes the image by {@code scale = min(S / h, S /
 * w)} (the longer side becomes S) and pads at the bottom and on the right, so the image occupies
 * the top-left {@code round(h * scale) x round(w * scale)} pixels of the S x S input (computed in float32
 * and rounded half to even like TensorFlow's {@code Round}, these are exactly the resized size;
 * padding is everything else). A point {@code
 * (y, x)} in input pixels is {@code (y / scale, x / scale)} in original pixels (up to the rounding of
 * the shorter side, less than half an input pixel); a box normalised to the S x S input is
 * {@code box * S / scale} in original pixels; a dense prediction is cropped to the top-left
 * resized region and resized to h x w.
 *
 * <p><b>Original resolution (evaluation with {@code original_labels}).</b> The dense labels as
 * decoded, before any resize, for metrics that score at the label's own resolution (the paper's
 * protocol): {@code segmentation_original} int32 [B, H', W'] (255 = ignore), {@code
 * depth_original} and {@code depth_valid_original} float32 [B, H', W'], {@code normals_original}
 * float32 [B, H', W', 3] and {@code normals_valid_original} [B, H', W'], where H' x W' is the
 * largest label map of the batch; smaller maps are padded at the bottom and right with the ignore
 * label / invalid pixels, and each map's own size is in {@code <map>_size} int32 [B, 2] (e.g.
 * {@code segmentation_original_size}). Label maps may have another resolution than the image: a
 * prediction's valid region (above) is resized to the label's size (both span the whole image).
 *
 * <p>In training the three tensors describe the same quantities ({@code scale} then includes the
 * random zoom), but the random crop offset and the flip are not reported, so they do not suffice to
 * map a training output back.
 */
public final class InputBatch {
  /** Component names, also the keys of {@link #tensors()}. */
  public static final String IMAGE = "image";

  public static final String SOURCE_ID = "source_id";
  public static final String ORIGINAL_HEIGHT = "original_height";
  public static final String ORIGINAL_WIDTH = "original_width";
  public static final String SCALE = "scale";
  /** The engine's key for padding rows (see {@link TaskInputs#EXAMPLE_VALID}). */
  public static final String EXAMPLE_VALID = TaskInputs.EXAMPLE_VALID;
  /** The engine's key for corrupt records skipped (see {@link TaskInputs#CORRUPT_RECORDS_SKIPPED}). */
  public static final String CORRUPT_RECORDS_SKIPPED = TaskInputs.CORRUPT_RECORDS_SKIPPED;
  public static final String CLASS_LABEL = "class_label";
  public static final String CLASS_PROBS = "class_probs";
  public static final String BOXES = "boxes";
  public static final String BOX_CLASSES = "box_classes";
  public static final String NUM_BOXES = "num_boxes";
  public static final String BOX_DIFFICULT = "box_difficult";
  public static final String BOX_IS_CROWD = "box_is_crowd";
  public static final String DETECTION_LABELLED = "detection_labelled";
  public static final String SEGMENTATION = "segmentation";
  public static final String DEPTH = "depth";
  public static final String DEPTH_VALID = "depth_valid";
  public static final String DEPTH_TYPE = "depth_type";
  public static final String NORMALS = "normals";
  public static final String NORMALS_VALID = "normals_valid";

  /**
   * Original-resolution labels ({@code original_labels}): the name of the input-resolution label
   * plus this suffix; each map has a {@code <map>_size} companion (its [height, width]).
   */
  public static final String ORIGINAL_SUFFIX = "_original";

  public static final String SEGMENTATION_ORIGINAL = SEGMENTATION + ORIGINAL_SUFFIX;
  public static final String SEGMENTATION_ORIGINAL_SIZE = SEGMENTATION_ORIGINAL + "_size";
  public static final String DEPTH_ORIGINAL = DEPTH + ORIGINAL_SUFFIX;
  public static final String DEPTH_VALID_ORIGINAL = DEPTH_VALID + ORIGINAL_SUFFIX;
  public static final String DEPTH_ORIGINAL_SIZE = DEPTH_ORIGINAL + "_size";
  public static final String NORMALS_ORIGINAL = NORMALS + ORIGINAL_SUFFIX;
  public static final String NORMALS_VALID_ORIGINAL = NORMALS_VALID + ORIGINAL_SUFFIX;
  public static final String NORMALS_ORIGINAL_SIZE = NORMALS_ORIGINAL + "_size";

  private final Map<String, Operand<?>> tensors;
  private final Op initializer;
  private final Set<LabelType> tasks;
  private final int batchSize;
  private final int imageSize;
  private final boolean training;
  private final long seed;
  private final List<Path> files;
  private final Operand<?> iterator;

  InputBatch(
      Map<String, Operand<?>> tensors,
      Op initializer,
      Operand<?> iterator,
      Set<LabelType> tasks,
      int batchSize,
      int imageSize,
      boolean training,
      long seed,
      List<Path> files) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.initializer = initializer;
    this.iterator = iterator;
    this.tasks = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(tasks));
    this.batchSize = batchSize;
    this.imageSize = imageSize;
    this.training = training;
    this.seed = seed;
    this.files = List.copyOf(files);
  }

  /** All tensors by name (see the class comment), in a fixed order. */
  public Map<String, Operand<?>> tensors() {
    return tensors;
  }

  /** Run once per session before fetching (re-run to restart an evaluation pass). */
  public Op initializer() {
    return initializer;
  }

  /** The iterator resource (to save and restore its position with a checkpoint). */
  public Operand<?> iterator() {
    return iterator;
  }

  public Set<LabelType> tasks() {
    return tasks;
  }

  public boolean has(LabelType task) {
    return tasks.contains(task);
  }

  /** The configured batch size (the last evaluation batch may be smaller). */
  public int batchSize() {
    return batchSize;
  }

  public int imageSize() {
    return imageSize;
  }

  public boolean training() {
    return training;
  }

  /** The seed of the pipeline's shuffles and augmentations (drawn at build time if unset). */
  public long seed() {
    return seed;
  }

  /** The TFRecord files read, in pattern order. */
  public List<Path> files() {
    return files;
  }

  public Operand<TFloat32> image() {
    return get(IMAGE);
  }

  public Operand<TString> sourceId() {
    return get(SOURCE_ID);
  }

  /** Height of each image before preprocessing, int32 [B]. */
  public Operand<TInt32> originalHeight() {
    return get(ORIGINAL_HEIGHT);
  }

  /** Width of each image before preprocessing, int32 [B]. */
  public Operand<TInt32> originalWidth() {
    return get(ORIGINAL_WIDTH);
  }

  /** Resize factor resized / original of each image, float32 [B]. */
  public Operand<TFloat32> scale() {
    return get(SCALE);
  }

  /** 1 for an example, 0 for a row padding the last evaluation batch, float32 [B]. */
  public Operand<TFloat32> exampleValid() {
    return get(EXAMPLE_VALID);
  }

  public Operand<TInt32> classLabel() {
    return get(CLASS_LABEL);
  }

  public Operand<TFloat32> classProbs() {
    return get(CLASS_PROBS);
  }

  public Operand<TFloat32> boxes() {
    return get(BOXES);
  }

  public Operand<TInt32> boxClasses() {
    return get(BOX_CLASSES);
  }

  public Operand<TInt32> numBoxes() {
    return get(NUM_BOXES);
  }

  public Operand<TInt32> segmentation() {
    return get(SEGMENTATION);
  }

  public Operand<TFloat32> depth() {
    return get(DEPTH);
  }

  public Operand<TFloat32> depthValid() {
    return get(DEPTH_VALID);
  }

  public Operand<TFloat32> normals() {
    return get(NORMALS);
  }

  public Operand<TFloat32> normalsValid() {
    return get(NORMALS_VALID);
  }

  /**
   * Turns a failure of a step that pulled from this pipeline into an error that names the data:
   * for TensorFlow's DataLoss (corrupt or truncated TFRecord) it rescans the files with the
   * CRC-checking Java reader and reports the file and byte offset; other errors get the file list.
   * Returns {@code failure} itself when it did not come from the input.
   */
  public RuntimeException explainFailure(RuntimeException failure) {
    return PipelineErrors.explain(failure, files);
  }

  @SuppressWarnings("unchecked")
  private <T extends org.tensorflow.types.family.TType> Operand<T> get(String name) {
    return (Operand<T>) tensors.get(name);
  }
}
