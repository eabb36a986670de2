package org.mustjava.models.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableReference;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.EvalMetric;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.data.pipeline.ImageNormalization;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.data.pipeline.PipelineErrors;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.mustjava.models.ModelOutput;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.heads.HeadOutput;
import org.mustjava.models.heads.LabelKeys;
import org.mustjava.models.heads.TaskHead;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The generic training task of the framework: a tf.data pipeline of labelled (or pseudo-labelled)
 * TFRecords feeding a {@link MultiTaskModel} (backbone, FPN, one head per task), its weighted
 * per-head losses, and the configured eval metrics. Every teacher, student and fine-tuning stage
 * is this task with another config.
 *
 * <p>Files are given here, not in the pipelines' bindings, so stages can resolve relative paths
 * against the model directory ({@link #withBaseDirectory}); the pipeline references are called
 * with {@code files} (and, when the config leaves it unset, {@code seed} = the trainer's seed, so a
 * resumed run sees the same stream). Relative patterns of the pipeline's {@code mixed_in} sources
 * ("MuST + supervised labels") resolve against the same directory.
 *
 * <p>The pipeline's batch feeds the model as it is: {@link InputBatch} emits the shapes {@link
 * LabelKeys} documents (with {@code source_id}, which no head reads, for metrics and tools).
 *
 * <p>Evaluation batches are always padded to the static batch size ({@code pad_final_batch} is
 * passed to the eval pipeline), so heads that need a static batch (detection) evaluate over the
 * whole eval set; padding rows carry {@code example_valid = 0} and "no label" values, the eval
 * graph drops them before metrics, and the losses ignore them.
 *
 * <p>Serving ({@link #servingInputs}): one float32 {@code image} input of {@code
 * [batch, serving_image_size, serving_image_size, 3]}, normalised as the pipelines normalise
 * ({@link ImageNormalization}), and one signature per head. With {@code serving_batch_size = 0} the
 * batch is dynamic (dense heads only); with {@code N > 0} every call takes 1..N images: the graph
 * pads them to N, runs the static-batch model and returns the first rows, so outputs always have
 * as many rows as the call had images (more than N fail with a message saying so).
 */
public final class MultiTaskTrainingTask implements Task {
  private final MultiTaskModel model;
  private final List<String> trainFiles;
  private final List<String> evalFiles;
  private final ConfigurableReference<InputPipeline> trainPipeline;
  private final ConfigurableReference<InputPipeline> evalPipeline;
  private final List<EvalMetric> metrics;
  private final int servingImageSize;
  private final int servingBatchSize;
  /** Where relative file patterns of the pipelines' {@code mixed_in} sources resolve; null: as given. */
  private final Path baseDirectory;

  /**
   * @param model the network and its heads
   * @param trainFiles TFRecord patterns of the training set (relative: to the model directory)
   * @param evalFiles TFRecord patterns of the eval set ({@code []}: no evaluation)
   * @param trainPipeline e.g. {@code @train/Pipeline}
   * @param evalPipeline e.g. {@code @eval/Pipeline}
   * @param metrics eval metrics, e.g. {@code [@TopKAccuracy(), @MeanIoU()]}
   * @param servingImageSize the exported model's input size (0: any size)
   * @param servingBatchSize the exported model's largest batch per call, padded inside the graph
   *     (0: a dynamic batch, not possible for heads that need a static one, e.g. detection)
   */
  @Configurable("MultiTaskTrainingTask")
  public MultiTaskTrainingTask(
      MultiTaskModel model,
      List<String> trainFiles,
      @Default("[]") List<String> evalFiles,
      ConfigurableReference<InputPipeline> trainPipeline,
      Optional<ConfigurableReference<InputPipeline>> evalPipeline,
      @Default("[]") List<EvalMetric> metrics,
      @Default("0") int servingImageSize,
      @Default("0") int servingBatchSize) {
    this(model, trainFiles, evalFiles, trainPipeline, evalPipeline, metrics, servingImageSize, servingBatchSize, null);
  }

  private MultiTaskTrainingTask(
      MultiTaskModel model,
      List<String> trainFiles,
      List<String> evalFiles,
      ConfigurableReference<InputPipeline> trainPipeline,
      Optional<ConfigurableReference<InputPipeline>> evalPipeline,
      List<EvalMetric> metrics,
      int servingImageSize,
      int servingBatchSize,
      Path baseDirectory) {
    if (trainFiles.isEmpty()) throw new IllegalArgumentException("MultiTaskTrainingTask.train_files is empty");
    if (!evalFiles.isEmpty() && evalPipeline.isEmpty()) {
      throw new IllegalArgumentException("MultiTaskTrainingTask.eval_files is set but eval_pipeline is not");
    }
    if (!metrics.isEmpty() && evalFiles.isEmpty()) {
      throw new IllegalArgumentException("MultiTaskTrainingTask.metrics need eval_files");
    }
    if (servingBatchSize < 0) {
      throw new IllegalArgumentException("MultiTaskTrainingTask.serving_batch_size must be >= 0: " + servingBatchSize);
    }
    for (TaskHead head : model.heads()) {
      if (head.needsStaticBatch() && servingBatchSize == 0) {
        throw new IllegalArgumentException("MultiTaskTrainingTask.serving_batch_size must be set (> 0): head '"
            + head.name() + "' needs a static batch, so the exported model takes up to that many images per call");
      }
    }
    this.model = model;
    this.trainFiles = List.copyOf(trainFiles);
    this.evalFiles = List.copyOf(evalFiles);
    this.trainPipeline = trainPipeline;
    this.evalPipeline = evalPipeline.orElse(null);
    this.metrics = List.copyOf(metrics);
    this.servingImageSize = servingImageSize;
    this.servingBatchSize = servingBatchSize;
    this.baseDirectory = baseDirectory;
  }

  public MultiTaskModel model() {
    return model;
  }

  @Override
  public Task withBaseDirectory(Path dir) {
    return new MultiTaskTrainingTask(model, resolve(dir, trainFiles), resolve(dir, evalFiles), trainPipeline,
        Optional.ofNullable(evalPipeline), metrics, servingImageSize, servingBatchSize, dir);
  }

  private static List<String> resolve(Path dir, List<String> patterns) {
    List<String> out = new ArrayList<>();
    for (String p : patterns) out.add(Path.of(p).isAbsolute() ? p : dir.resolve(p).toString());
    return out;
  }

  public List<String> trainFiles() {
    return trainFiles;
  }

  public List<String> evalFiles() {
    return evalFiles;
  }

  @Override
  public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
    boolean training = mode == Mode.TRAIN;
    ConfigurableReference<InputPipeline> ref = training ? trainPipeline : evalPipeline;
    List<String> files = training ? trainFiles : evalFiles;
    if (ref == null || files.isEmpty()) throw new IllegalStateException("no " + mode + " input configured");
    // Eval batches are padded to a static size (see the class comment).
    Map<String, Object> args = new LinkedHashMap<>(Map.of("files", files));
    if (!training) args.put("pad_final_batch", true);
    InputPipeline pipeline = ref.call(args);
    if (pipeline.training() != training) {
      throw new IllegalArgumentException(ref + " builds a " + (pipeline.training() ? "training" : "evaluation")
          + " pipeline but is used for " + mode + " (set its training parameter)");
    }
    int given = args.size();
    if (training && pipeline.seed() == null) {
      args.put("seed", Optional.of(ctx.seed()));
    }
    if (baseDirectory != null && !pipeline.mixedIn().isEmpty()) {
      args.put("mixed_in", pipeline.mixedIn().stream().map(s -> s.resolvedAgainst(baseDirectory)).toList());
    }
    if (args.size() > given) {
      pipeline = ref.call(args);
    }
    Ops tf = ctx.scope(training ? "train_input" : "eval_input").tf();
    InputBatch batch = pipeline.build(tf, training ? startStep * pipeline.batchSize() : 0);
    return new TaskInputs(batch.tensors(), List.of(batch.initializer()), pipeline.batchSize(),
        training ? batch.iterator() : null);
  }

  @Override
  @SuppressWarnings("unchecked")
  public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode) {
    Operand<TFloat32> images = (Operand<TFloat32>) inputs.get(LabelKeys.IMAGE);
    if (images == null) throw new IllegalArgumentException("inputs have no '" + LabelKeys.IMAGE + "': " + inputs.keySet());
    Map<String, Operand<?>> labels = null;
    if (mode != Mode.PREDICT) {
      labels = new LinkedHashMap<>(inputs);
    }
    Ops serving = ctx.tf().withSubScope("serving_batch");
    Operand<TInt32> callRows = null;
    if (mode == Mode.PREDICT && servingBatchSize > 0) {
      callRows = serving.gather(serving.shape(images), serving.constant(0), serving.constant(0));
      images = padToServingBatch(serving, images, callRows);
    }
    ModelOutput out = model.build(ctx, images, labels);
    // In head order (the model's map is unordered), so logs and summaries list tasks stably.
    Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();
    for (var head : model.heads()) {
      Operand<TFloat32> l = out.weightedLosses().get(head.name());
      if (l != null) losses.put(head.name(), l);
    }
    Map<String, Map<String, Operand<?>>> predictions = new LinkedHashMap<>();
    for (var head : model.heads()) {
      HeadOutput h = out.heads().get(head.name());
      Map<String, Operand<?>> p = new java.util.TreeMap<>();
      for (Map.Entry<String, Operand<?>> e : h.predictions().entrySet()) {
        p.put(e.getKey(), callRows == null ? e.getValue() : firstRows(serving, e.getValue(), callRows));
      }
      predictions.put(head.name(), p);
    }
    return new ModelOutputs(losses, predictions);
  }

  /** Names the corrupt file and byte offset when a step failed on the training or eval data. */
  @Override
  public RuntimeException explainFailure(RuntimeException failure) {
    List<String> patterns = new ArrayList<>(trainFiles);
    patterns.addAll(evalFiles);
    List<Path> files;
    try {
      files = TFRecordFiles.expandAll(patterns);
    } catch (RuntimeException e) {
      return failure; // the files are gone: nothing better to say than TensorFlow's message
    }
    return PipelineErrors.explain(failure, files);
  }

  /** {@code images} [n, S, S, 3] with n <= N padded with zero images to the serving batch N. */
  private Operand<TFloat32> padToServingBatch(Ops tf, Operand<TFloat32> images, Operand<TInt32> rows) {
    var fits = tf.assertThat(
        tf.math.lessEqual(rows, tf.constant(servingBatchSize)),
        List.of(tf.constant("this model takes at most " + servingBatchSize
            + " images per call (MultiTaskTrainingTask.serving_batch_size); got"), rows));
    Operand<TInt32> missing = tf.withControlDependencies(List.of(fits)).math.sub(tf.constant(servingBatchSize), rows);
    Operand<TInt32> paddings = tf.concat(List.of(
        tf.reshape(tf.stack(List.of(tf.constant(0), missing)), tf.constant(new int[] {1, 2})),
        tf.constant(new int[3][2])), tf.constant(0));
    long s = servingImageSize > 0 ? servingImageSize : -1;
    return tf.ensureShape(tf.pad(images, paddings, tf.constant(0f)), Shape.of(servingBatchSize, s, s, 3));
  }

  /** The first {@code rows} rows of a batch-major prediction (scalars stay as they are). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<?> firstRows(Ops tf, Operand<?> t, Operand<TInt32> rows) {
    int rank = t.shape().numDimensions();
    if (rank < 1) return t;
    int[] rest = new int[rank - 1];
    java.util.Arrays.fill(rest, -1);
    Operand<TInt32> size = tf.concat(List.of(tf.reshape(rows, tf.constant(new int[] {1})), tf.constant(rest)),
        tf.constant(0));
    return tf.slice((Operand) t, tf.constant(new int[rank]), size);
  }

  @Override
  public List<EvalMetric> createMetrics() {
    return evalFiles.isEmpty() ? List.of() : metrics;
  }

  @Override
  public Map<String, Operand<?>> servingInputs(GraphContext ctx) {
    long s = servingImageSize > 0 ? servingImageSize : -1;
    // Dynamic batch also with serving_batch_size N: calls of 1..N images are padded in buildModel.
    return Map.of(LabelKeys.IMAGE, ctx.tf().withName("image")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, s, s, 3))));
  }

  /**
   * The input image (de-normalised) and, per pixel head, its prediction as an image: segmentation
   * classes in a fixed palette, depth scaled to [0, 1] per image.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Operand<?>> summaryImages(GraphContext ctx, Map<String, Operand<?>> inputs, ModelOutputs outputs) {
    Ops tf = ctx.scope("summary_images").tf();
    Map<String, Operand<?>> images = new LinkedHashMap<>();
    Operand<TFloat32> image = (Operand<TFloat32>) inputs.get(LabelKeys.IMAGE);
    Operand<TFloat32> rgb = tf.math.add(tf.math.mul(image, tf.constant(ImageNormalization.STDDEV_RGB)),
        tf.constant(ImageNormalization.MEAN_RGB));
    images.put("input", toUint8(tf, rgb));
    for (Map.Entry<String, Map<String, Operand<?>>> head : outputs.predictions().entrySet()) {
      Operand<?> classes = head.getValue().get("classes");
      Operand<?> depth = head.getValue().get("depth");
      if (depth == null) depth = head.getValue().get("inverse_depth");
      if (classes != null) {
        Operand<TFloat32> palette = tf.constant(PALETTE);
        Operand<TInt32> idx = tf.math.floorMod((Operand<TInt32>) classes, tf.constant(PALETTE.length));
        images.put(head.getKey() + "/prediction", toUint8(tf, tf.gather(palette, idx, tf.constant(0))));
      } else if (depth != null) {
        Operand<TFloat32> d = tf.expandDims((Operand<TFloat32>) depth, tf.constant(-1));
        var axes = tf.constant(new int[] {1, 2, 3});
        Operand<TFloat32> lo = tf.reduceMin(d, axes, org.tensorflow.op.core.ReduceMin.keepDims(true));
        Operand<TFloat32> hi = tf.reduceMax(d, axes, org.tensorflow.op.core.ReduceMax.keepDims(true));
        Operand<TFloat32> scaled = tf.math.div(tf.math.sub(d, lo), tf.math.maximum(tf.math.sub(hi, lo), tf.constant(1e-6f)));
        images.put(head.getKey() + "/prediction", scaled);
      }
    }
    return images;
  }

  private static Operand<TUint8> toUint8(Ops tf, Operand<TFloat32> values0to255) {
    return tf.dtypes.cast(tf.clipByValue(values0to255, tf.constant(0f), tf.constant(255f)), TUint8.class);
  }

  /** Distinct colours for class ids (cycled). */
  private static final float[][] PALETTE = {
      {0, 0, 0}, {128, 64, 128}, {70, 70, 70}, {220, 20, 60}, {0, 0, 142}, {250, 170, 30},
      {107, 142, 35}, {70, 130, 180}, {255, 0, 0}, {119, 11, 32}, {0, 60, 100}, {152, 251, 152},
      {190, 153, 153}, {153, 153, 153}, {244, 35, 232}, {102, 102, 156}};
}
