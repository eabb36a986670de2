package org.mustjava.models.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableReference;
import org.mustjava.core.config.Default;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.gradients.CustomGradients;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.data.augment.SimCLRAugmentation;
import org.mustjava.data.pipeline.ImageNormalization;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.data.tfdata.NamedIterator;
import org.mustjava.data.tfdata.RawDataset;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.Backbone;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.heads.LabelKeys;
import org.mustjava.models.heads.ProjectionHead;
import org.mustjava.models.layers.Pooling;
import org.mustjava.models.losses.NtXentLoss;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * SimCLR pre-training (Chen et al. 2020), the contrastive baseline of the paper's tables: two
 * {@link SimCLRAugmentation} views of every image, one backbone pass over both (BatchNorm sees the
 * 2N views together), global average pool of the coarsest level, a {@link ProjectionHead}, and the
 * {@link NtXentLoss}. The optimiser (momentum SGD or {@code LarsOptimizer}), learning rate and weight
 * decay are the {@link org.mustjava.core.train.Trainer}'s.
 *
 * <p>Checkpoint layout: {@code backbone/...} as in {@link MultiTaskModel}, so fine-tuning restores
 * it by prefix; {@code projection/...} is dropped by fine-tuning. The FPN is optional ({@code
 * decoder}, default None): the loss reads C5 only, so an FPN built here receives no gradient and is
 * saved at its initial values (the trainer lists it among the unused variables). Without it a
 * fine-tuning restore of {@code ['backbone/', 'fpn/']} must list {@code 'fpn/'} in {@code
 * PartialRestore.expected} (or restore {@code ['backbone/']} only); the FPN then starts fresh, as
 * for a randomly initialised model.
 *
 * <p>Inputs: the {@code train_pipeline} yields whole images (bind it with {@code scale_jitter = [1.0,
 * 1.0]}, {@code horizontal_flip = False}, and {@code tasks = []} for unlabelled records); the views
 * are cut in the graph from each image's valid (unpadded) region. Their randomness is seeded by
 * (pipeline seed, which is the trainer's unless bound; step; view): the step comes from a counter
 * dataset that starts at {@code startStep} and advances with the image batches, so a resumed run
 * draws the views an uninterrupted run draws (tested).
 */
public final class SimCLRTask implements Task {
  /** Input keys of the two views. */
  public static final String VIEW1 = "view1";

  public static final String VIEW2 = "view2";

  /** Loss and prediction names. */
  public static final String HEAD = "simclr";

  public static final String PROJECTION_SCOPE = "projection";

  private final Backbone backbone;
  private final FPN decoder;
  private final ProjectionHead projection;
  private final NtXentLoss loss;
  private final SimCLRAugmentation augmentation;
  private final List<String> trainFiles;
  private final ConfigurableReference<InputPipeline> trainPipeline;

  /**
   * @param backbone e.g. {@code @ResNet()}
   * @param decoder {@code None} (default) or {@code @FPN()} (built and saved, not trained)
   * @param projection the projection MLP
   * @param loss NT-Xent with its temperature
   * @param augmentation the view augmentation (its {@code output_size} is the views' size)
   * @param trainFiles TFRecord patterns (relative: to the model directory)
   * @param trainPipeline e.g. {@code @simclr/Pipeline}, a training pipeline
   */
  @Configurable("SimCLRTask")
  public SimCLRTask(
      Backbone backbone,
      @Default("None") FPN decoder,
      @Default("@ProjectionHead()") ProjectionHead projection,
      @Default("@NtXentLoss()") NtXentLoss loss,
      SimCLRAugmentation augmentation,
      List<String> trainFiles,
      ConfigurableReference<InputPipeline> trainPipeline) {
    if (backbone == null) throw new IllegalArgumentException("SimCLRTask.backbone is required");
    if (trainFiles.isEmpty()) throw new IllegalArgumentException("SimCLRTask.train_files is empty");
    this.backbone = backbone;
    this.decoder = decoder;
    this.projection = projection;
    this.loss = loss;
    this.augmentation = augmentation;
    this.trainFiles = List.copyOf(trainFiles);
    this.trainPipeline = trainPipeline;
  }

  @Override
  public Task withBaseDirectory(Path dir) {
    List<String> files = new ArrayList<>();
    for (String p : trainFiles) files.add(Path.of(p).isAbsolute() ? p : dir.resolve(p).toString());
    return new SimCLRTask(backbone, decoder, projection, loss, augmentation, files, trainPipeline);
  }

  public List<String> trainFiles() {
    return trainFiles;
  }

  @Override
  public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
    if (mode != Mode.TRAIN) {
      throw new IllegalArgumentException("SimCLRTask has no evaluation (no metrics): a pre-training is evaluated by fine-tuning it");
    }
    InputPipeline pipeline = trainPipeline.call(Map.of("files", trainFiles));
    if (!pipeline.training()) {
      throw new IllegalArgumentException(trainPipeline + " builds an evaluation pipeline; SimCLR needs a training one");
    }
    if (pipeline.seed() == null) {
      pipeline = trainPipeline.call(Map.of("files", trainFiles, "seed", Optional.of(ctx.seed())));
    }
    Ops tf = ctx.scope("train_input").tf();
    InputBatch batch = pipeline.build(tf, startStep * pipeline.batchSize());
    NamedIterator steps = stepCounter(tf.withSubScope("step_counter"), startStep);
    @SuppressWarnings("unchecked")
    Operand<TInt64> step = (Operand<TInt64>) steps.next().get(0);
    Operand<TFloat32> validHeight = validFraction(tf, batch.originalHeight(), batch.scale(), batch.imageSize());
    Operand<TFloat32> validWidth = validFraction(tf, batch.originalWidth(), batch.scale(), batch.imageSize());
    Map<String, Operand<?>> tensors = new LinkedHashMap<>();
    for (int view = 0; view < 2; view++) {
      // Seed [pipeline seed, -1 - (2 * step + view)]: distinct per step and view, the same after a
      // resume, and never an element seed of the pipeline's own augmentation (indices >= 0).
      Operand<TInt64> index = tf.math.sub(tf.constant(-1L - view), tf.math.mul(step, tf.constant(2L)));
      Operand<TInt64> seed = tf.stack(List.of(tf.constant(pipeline.seed()), index));
      Operand<TFloat32> images =
          augmentation.apply(tf.withSubScope("view" + (view + 1)), batch.image(), validHeight, validWidth, seed);
      // Training batches are full (drop remainder): make the batch size static for the loss.
      int size = augmentation.outputSize();
      tensors.put(view == 0 ? VIEW1 : VIEW2, tf.ensureShape(images, Shape.of(pipeline.batchSize(), size, size, 3)));
    }
    return new TaskInputs(tensors, List.of(batch.initializer(), steps.initializer()), pipeline.batchSize());
  }

  /** A dataset {@code startStep, startStep + 1, ...} read through its own iterator. */
  private static NamedIterator stepCounter(Ops tf, long startStep) {
    List<Class<? extends org.tensorflow.types.family.TType>> types = List.of(TInt64.class);
    List<Shape> shapes = List.of(Shape.scalar());
    RawDataset range = new RawDataset(
        tf.data.rangeDataset(tf.constant(startStep), tf.constant(Long.MAX_VALUE), tf.constant(1L), types, shapes),
        types, shapes);
    return NamedIterator.create(tf, "simclr_step", range);
  }

  /** The fraction of the S pixels along one axis that hold the image: {@code min(round(n * scale), S) / S}. */
  private static Operand<TFloat32> validFraction(Ops tf, Operand<TInt32> original, Operand<TFloat32> scale, int size) {
    Operand<TFloat32> resized = tf.math.round(tf.math.mul(tf.dtypes.cast(original, TFloat32.class), scale));
    return tf.math.div(tf.math.minimum(tf.math.maximum(resized, tf.constant(1f)), tf.constant((float) size)),
        tf.constant((float) size));
  }

  @Override
  @SuppressWarnings("unchecked")
  public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode) {
    CustomGradients.ensureRegistered();
    Ops tf = ctx.tf();
    if (mode == Mode.PREDICT) {
      Operand<TFloat32> image = (Operand<TFloat32>) inputs.get(LabelKeys.IMAGE);
      Operand<TFloat32> features = features(ctx, image);
      Map<String, Operand<?>> out = new LinkedHashMap<>();
      out.put("features", features);
      out.put("projection", projection.apply(ctx.scope(PROJECTION_SCOPE), features));
      return new ModelOutputs(Map.of(), Map.of(HEAD, out));
    }
    Operand<TFloat32> view1 = (Operand<TFloat32>) inputs.get(VIEW1);
    Operand<TFloat32> view2 = (Operand<TFloat32>) inputs.get(VIEW2);
    if (view1 == null || view2 == null) {
      throw new IllegalArgumentException("SimCLRTask needs inputs '" + VIEW1 + "' and '" + VIEW2 + "', got " + inputs.keySet());
    }
    int n = (int) view1.shape().get(0);
    if (n < 1) throw new IllegalArgumentException("SimCLRTask needs views with a static batch size, got " + view1.shape());
    Operand<TFloat32> both = tf.concat(List.of(view1, view2), tf.constant(0));
    Operand<TFloat32> z = projection.apply(ctx.scope(PROJECTION_SCOPE), features(ctx, both));
    Operand<TFloat32> z1 = tf.slice(z, tf.constant(new int[] {0, 0}), tf.constant(new int[] {n, -1}));
    Operand<TFloat32> z2 = tf.slice(z, tf.constant(new int[] {n, 0}), tf.constant(new int[] {n, -1}));
    Operand<TFloat32> contrastive = ctx.scope(HEAD).tf().withName("nt_xent").identity(loss.apply(ctx.scope(HEAD).tf(), z1, z2));
    return new ModelOutputs(Map.of(HEAD, contrastive), Map.of(HEAD, Map.of("projection", z)));
  }

  /** Backbone (+ FPN, saved but unused), global average pool of the coarsest level: {@code [B, C]}. */
  private Operand<TFloat32> features(GraphContext ctx, Operand<TFloat32> images) {
    SortedMap<Integer, Operand<TFloat32>> levels = backbone.build(ctx.scope(MultiTaskModel.BACKBONE_SCOPE), images);
    if (decoder != null) decoder.build(ctx.scope(MultiTaskModel.DECODER_SCOPE), levels);
    return Pooling.globalAverage(ctx.tf(), levels.get(levels.lastKey()));
  }

  @Override
  public Map<String, Operand<?>> servingInputs(GraphContext ctx) {
    return Map.of(LabelKeys.IMAGE, ctx.tf().withName("image")
        .placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3))));
  }

  /** Both views of the batch, de-normalised, for TensorBoard. */
  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Operand<?>> summaryImages(GraphContext ctx, Map<String, Operand<?>> inputs, ModelOutputs outputs) {
    Ops tf = ctx.scope("summary_images").tf();
    Map<String, Operand<?>> images = new LinkedHashMap<>();
    for (String key : List.of(VIEW1, VIEW2)) {
      Operand<TFloat32> rgb = tf.math.add(tf.math.mul((Operand<TFloat32>) inputs.get(key),
          tf.constant(ImageNormalization.STDDEV_RGB)), tf.constant(ImageNormalization.MEAN_RGB));
      images.put(key, tf.dtypes.cast(tf.clipByValue(rgb, tf.constant(0f), tf.constant(255f)), TUint8.class));
    }
    return images;
  }
}
