package org.mustjava.data.pipeline;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.Compression;
import org.mustjava.data.augment.EvalPreprocessing;
import org.mustjava.data.augment.Preprocessed;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.augment.StatelessSeeds;
import org.mustjava.data.augment.TrainAugmentation;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.labels.LabelOptions;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.data.tfdata.DatasetOptions;
import org.mustjava.data.tfdata.NamedIterator;
import org.mustjava.data.tfdata.RawDataset;
import org.mustjava.data.tfdata.TfRecordDatasets;
import org.mustjava.data.tfdata.TfRecordInterleave;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.data.IgnoreErrorsDataset;
import org.tensorflow.op.data.ParallelMapDataset;
import org.tensorflow.op.data.ShuffleDataset;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * A tf.data input pipeline over TFRecord files of {@code tf.train.Example}s, built from raw ops in
 * the model's graph; {@link #build(Ops)} returns the {@link InputBatch} the model reads.
 *
 * <p>Graph, training: file names → shuffle → interleave the records of {@code cycleLength} files
 * at a time ({@link TfRecordInterleave}) → shuffle records → repeat → number the elements →
 * parallel map (parse, decode, {@link TrainAugmentation} seeded by (seed, element number)) →
 * [{@code skip_corrupt}: drop failed elements, count them ({@link SkippedRecordCount})] →
 * padded batch (drop remainder) → prefetch. The repeat restarts both shuffles, so every epoch reads
 * the files in a new order and shuffles records anew, and no epoch's records mix with the next's.
 * Evaluation: files in order, one after the other, no shuffle, no repeat, {@link
 * EvalPreprocessing}, the last partial batch kept. The dataset is wrapped in {@code OptionsDataset}
 * with TensorFlow's default graph rewrites off (they cannot serialise the TFRecord dataset) and
 * read through a named iterator.
 *
 * <p>History: the first version shuffled the file order once per build in Java and read the files
 * in sequence with one {@code TFRecordDatasetV2}, because {@code ConcreteFunction.create} cannot
 * build the per-file function of an interleave (it returns a dataset, {@code DT_VARIANT}, and TF
 * Java has no tensor class for that dtype). {@link TfRecordInterleave} writes that function as a
 * {@code FunctionDef} proto and imports it into the graph's library instead.
 *
 * <p>Mixing ({@code mixed_in}, training only): each {@link DataSource} is a stream of its own as
 * above (with its own derived seed and decoded with its own labels; the tasks it lacks get their
 * "no label" values), and {@code DirectedInterleaveDataset} takes every element from the source a
 * fixed seeded table names ({@link MixingSchedule}: uniform over the pipeline's files and the
 * sources). A resumed run skips each source's exact share of the elements already read.
 *
 * <p>Determinism: with a fixed {@code seed} the shuffles and the augmentation draws are fixed; with
 * {@code deterministic} the parallel map keeps element order whatever the thread timing, so a
 * pipeline yields the same batches on every run (tested). Augmentation randomness never depends on
 * parallelism because each element's draws are a stateless function of its number.
 */
public final class InputPipeline {
  // The defaults, once: the config's @Defaults and the Builder's initial values are built from
  // these (an annotation value may be any constant expression, so "" + 8 and b ? "True" : "False").
  private static final boolean TRAINING = true;
  private static final int BATCH_SIZE = 8;
  private static final int IMAGE_SIZE = 64;
  private static final boolean HORIZONTAL_FLIP = true;
  private static final int SHUFFLE_BUFFER = 1000;
  private static final int CYCLE_LENGTH = 4;
  private static final int PARALLELISM = 2;
  private static final int PREFETCH = 2;
  private static final int MAX_BOXES = 100;
  private static final boolean DETERMINISTIC = true;
  private static final int NUM_CLASSES = 0;
  private static final boolean SOFT_LABELS = false;
  private static final String DEPTH_FORMAT = FeatureKeys.FORMAT_RAW_FLOAT32;
  private static final boolean PAD_FINAL_BATCH = false;
  private static final String EVAL_RESIZE = EvalPreprocessing.PAD;
  private static final boolean ORIGINAL_LABELS = false;
  private static final boolean SKIP_CORRUPT = false;

  /** Settings; see {@link InputPipeline#builder}. */
  private final List<String> files;
  private final boolean training;
  private final Set<LabelType> tasks;
  private final int batchSize;
  private final int imageSize;
  private final float minScale;
  private final float maxScale;
  private final boolean horizontalFlip;
  private final int shuffleBuffer;
  private final int cycleLength;
  private final int parallelism;
  private final int prefetch;
  private final int maxBoxes;
  private final Long seed;
  private final boolean deterministic;
  private final int numClasses;
  private final boolean softLabels;
  private final String depthFormat;
  private final boolean padFinalBatch;
  private final List<DataSource> mixedIn;
  private final String evalResize;
  private final boolean originalLabels;
  private final boolean skipCorrupt;

  private InputPipeline(Builder b) {
    if (b.files.isEmpty()) {
      throw new IllegalArgumentException("an input pipeline needs at least one file pattern");
    }
    positive("batchSize", b.batchSize);
    positive("imageSize", b.imageSize);
    positive("shuffleBuffer", b.shuffleBuffer);
    positive("cycleLength", b.cycleLength);
    positive("parallelism", b.parallelism);
    positive("prefetch", b.prefetch);
    positive("maxBoxes", b.maxBoxes);
    this.files = List.copyOf(b.files);
    this.training = b.training;
    this.tasks = LabelTypes.ordered(b.tasks);
    this.batchSize = b.batchSize;
    this.imageSize = b.imageSize;
    this.minScale = b.minScale;
    this.maxScale = b.maxScale;
    this.horizontalFlip = b.horizontalFlip;
    this.shuffleBuffer = b.shuffleBuffer;
    this.cycleLength = b.cycleLength;
    this.parallelism = b.parallelism;
    this.prefetch = b.prefetch;
    this.maxBoxes = b.maxBoxes;
    this.seed = b.seed;
    this.deterministic = b.deterministic;
    this.numClasses = b.numClasses;
    this.softLabels = b.softLabels;
    this.depthFormat = b.depthFormat;
    this.padFinalBatch = b.padFinalBatch;
    this.mixedIn = List.copyOf(b.mixedIn);
    this.evalResize = b.evalResize;
    this.originalLabels = b.originalLabels;
    this.skipCorrupt = b.skipCorrupt;
    // Validate now rather than at build time.
    new TrainAugmentation(imageSize, minScale, maxScale, horizontalFlip);
    labelOptions();
    new EvalPreprocessing(imageSize, evalResize);
    if (originalLabels && training) {
      throw new IllegalArgumentException("original_labels is for evaluation pipelines (training = False)");
    }
    if (originalLabels && !evalResize.equals(EvalPreprocessing.PAD)) {
      throw new IllegalArgumentException("original_labels needs eval_resize = '" + EvalPreprocessing.PAD
          + "' (predictions are mapped back through the padded window), got '" + evalResize + "'");
    }
    if (!mixedIn.isEmpty() && !training) {
      throw new IllegalArgumentException("Pipeline.mixed_in is for training; an evaluation pipeline reads one set");
    }
    for (DataSource source : mixedIn) {
      if (!tasks.containsAll(source.labels())) {
        throw new IllegalArgumentException("Pipeline.mixed_in: the source " + source.files() + " has labels "
            + source.labels() + " but the pipeline's tasks are only " + tasks);
      }
      decoderSpec(source);
    }
  }

  /** The settings the label types read. */
  private LabelOptions labelOptions() {
    return new LabelOptions(numClasses, softLabels, depthFormat, maxBoxes, imageSize);
  }

  /** What to decode from a mixed-in source's records: its labels among the pipeline's tasks. */
  private ExampleDecoder.Spec decoderSpec(DataSource source) {
    return new ExampleDecoder.Spec(
        source.labels(), labelOptions().forSource(source.softLabels(), source.depthFormat()));
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }

  /**
   * The config entry point ({@code Pipeline.*} bindings). Only {@code files} is required; the
   * {@link Default}s and the {@link Builder}'s defaults are the same constants, so the
   * operative config prints every value a pipeline used. {@code seed} stays {@code None} unless
   * bound: None genuinely means "draw a fresh seed at each build" (the drawn seed is {@link
   * InputBatch#seed()}).
   *
   * @param files TFRecord files: paths, globs, {@code PREFIX@N} or comma-separated lists
   * @param tasks task names: classification, detection, segmentation, depth, normals; {@code []}
   *     reads images only (unlabelled sets, e.g. for SimCLR)
   * @param scaleJitter {@code [min, max]} zoom range of training augmentation
   * @param seed seed of shuffles and augmentation; None draws one per build
   * @param padFinalBatch evaluation: pad the last, partial batch to {@code batch_size} rows
   *     ({@code example_valid} = 0 in the added rows), so every batch has a static size
   * @param mixedIn further sources sampled uniformly with {@code files} (training only; see {@link
   *     DataSource})
   * @param evalResize evaluation resize: {@code 'pad'} (longer side fitted, padded) or {@code
   *     'center_crop'} (shorter side fitted, centre crop; the classification protocol)
   * @param originalLabels evaluation: also emit the dense labels at their original resolution
   *     ({@code <label>_original}, see {@link InputBatch})
   * @param skipCorrupt skip records that cannot be read (bad framing or CRC) or decoded (e.g. a
   *     broken PNG) instead of failing, and count them ({@link InputBatch#CORRUPT_RECORDS_SKIPPED})
   */
  @Configurable("Pipeline")
  public static InputPipeline configure(
      List<String> files,
      @Default(TRAINING ? "True" : "False") boolean training,
      @Default("['classification']") List<String> tasks,
      @Default("" + BATCH_SIZE) int batchSize,
      @Default("" + IMAGE_SIZE) int imageSize,
      @Default("[" + TrainAugmentation.DEFAULT_MIN_SCALE + ", " + TrainAugmentation.DEFAULT_MAX_SCALE + "]")
          List<Double> scaleJitter,
      @Default(HORIZONTAL_FLIP ? "True" : "False") boolean horizontalFlip,
      @Default("" + SHUFFLE_BUFFER) int shuffleBuffer,
      @Default("" + CYCLE_LENGTH) int cycleLength,
      @Default("" + PARALLELISM) int parallelism,
      @Default("" + PREFETCH) int prefetch,
      @Default("" + MAX_BOXES) int maxBoxes,
      @Default("None") Optional<Long> seed,
      @Default(DETERMINISTIC ? "True" : "False") boolean deterministic,
      @Default("" + NUM_CLASSES) int numClasses,
      @Default(SOFT_LABELS ? "True" : "False") boolean softLabels,
      @Default("'" + DEPTH_FORMAT + "'") String depthFormat,
      @Default(PAD_FINAL_BATCH ? "True" : "False") boolean padFinalBatch,
      @Default("[]") List<DataSource> mixedIn,
      @Default("'" + EVAL_RESIZE + "'") String evalResize,
      @Default(ORIGINAL_LABELS ? "True" : "False") boolean originalLabels,
      @Default(SKIP_CORRUPT ? "True" : "False") boolean skipCorrupt) {
    Set<LabelType> taskSet = LabelTypes.parseAll(tasks);
    if (scaleJitter.size() != 2) {
      throw new IllegalArgumentException("Pipeline.scale_jitter must be [min, max], got " + scaleJitter);
    }
    return builder(files, taskSet)
        .training(training)
        .batchSize(batchSize)
        .imageSize(imageSize)
        .scaleJitter(scaleJitter.get(0).floatValue(), scaleJitter.get(1).floatValue())
        .horizontalFlip(horizontalFlip)
        .shuffleBuffer(shuffleBuffer)
        .cycleLength(cycleLength)
        .parallelism(parallelism)
        .prefetch(prefetch)
        .maxBoxes(maxBoxes)
        .seed(seed.orElse(null))
        .deterministic(deterministic)
        .numClasses(numClasses)
        .softLabels(softLabels)
        .depthFormat(depthFormat)
        .padFinalBatch(padFinalBatch)
        .mixedIn(mixedIn)
        .evalResize(evalResize)
        .originalLabels(originalLabels)
        .skipCorrupt(skipCorrupt)
        .build();
  }

  /** A builder with the defaults listed on its setters. */
  public static Builder builder(List<String> files, Set<? extends LabelType> tasks) {
    return new Builder(files, tasks);
  }

  /** Pipeline settings with defaults. */
  public static final class Builder {
    private final List<String> files;
    private final Set<LabelType> tasks;
    private boolean training = TRAINING;
    private int batchSize = BATCH_SIZE;
    private int imageSize = IMAGE_SIZE;
    private float minScale = TrainAugmentation.DEFAULT_MIN_SCALE;
    private float maxScale = TrainAugmentation.DEFAULT_MAX_SCALE;
    private boolean horizontalFlip = HORIZONTAL_FLIP;
    private int shuffleBuffer = SHUFFLE_BUFFER;
    private int cycleLength = CYCLE_LENGTH;
    private int parallelism = PARALLELISM;
    private int prefetch = PREFETCH;
    private int maxBoxes = MAX_BOXES;
    private Long seed;
    private boolean deterministic = DETERMINISTIC;
    private int numClasses = NUM_CLASSES;
    private boolean softLabels = SOFT_LABELS;
    private String depthFormat = DEPTH_FORMAT;
    private boolean padFinalBatch = PAD_FINAL_BATCH;
    private List<DataSource> mixedIn = List.of();
    private String evalResize = EVAL_RESIZE;
    private boolean originalLabels = ORIGINAL_LABELS;
    private boolean skipCorrupt = SKIP_CORRUPT;

    private Builder(List<String> files, Set<? extends LabelType> tasks) {
      this.files = List.copyOf(files);
      this.tasks = LabelTypes.ordered(tasks);
    }

    /** Training (shuffle, repeat, random augmentation; default) or evaluation (one ordered pass). */
    public Builder training(boolean v) {
      training = v;
      return this;
    }

    /** Default 8. */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Output side S in pixels; default 64. */
    public Builder imageSize(int v) {
      imageSize = v;
      return this;
    }

    /** Scale jitter range; default [0.5, 2.0]. */
    public Builder scaleJitter(float min, float max) {
      minScale = min;
      maxScale = max;
      return this;
    }

    /** Random horizontal flips in training; default on. */
    public Builder horizontalFlip(boolean v) {
      horizontalFlip = v;
      return this;
    }

    /** Records in the shuffle buffer (training); default 1000. */
    public Builder shuffleBuffer(int v) {
      shuffleBuffer = v;
      return this;
    }

    /**
     * Files read at the same time in training, their records interleaved one by one; default 4
     * (evaluation reads one file after the other).
     */
    public Builder cycleLength(int v) {
      cycleLength = v;
      return this;
    }

    /** Parallel calls of the decode/augment map; default 2 (this machine's cores). */
    public Builder parallelism(int v) {
      parallelism = v;
      return this;
    }

    /** Batches prefetched; default 2. */
    public Builder prefetch(int v) {
      prefetch = v;
      return this;
    }

    /** Box rows per example (more are dropped); default 100. */
    public Builder maxBoxes(int v) {
      maxBoxes = v;
      return this;
    }

    /** Seed of shuffles and augmentation; default none (drawn at build time). */
    public Builder seed(Long v) {
      seed = v;
      return this;
    }

    /** Keep element order independent of thread timing; default true. */
    public Builder deterministic(boolean v) {
      deterministic = v;
      return this;
    }

    /** Classes C of {@code class_probs}; 0 (default) = hard labels only, no {@code class_probs}. */
    public Builder numClasses(int v) {
      numClasses = v;
      return this;
    }

    /** Read {@code image/class/probabilities} (pseudo-labels) instead of the hard label. */
    public Builder softLabels(boolean v) {
      softLabels = v;
      return this;
    }

    /** {@code raw_float32} (default) or {@code png16}: how the records store depth. */
    public Builder depthFormat(String v) {
      depthFormat = v;
      return this;
    }

    /**
     * Evaluation: pad the last, partial batch with rows of padding values ({@code example_valid} =
     * 0, every label "no label") to {@code batchSize}, so the batch dimension is static (e.g. for
     * the detector's per-image NMS); default false (the last batch is smaller). Training batches
     * are always full.
     */
    public Builder padFinalBatch(boolean v) {
      padFinalBatch = v;
      return this;
    }

    /**
     * Further sources mixed into the training stream: each element comes from {@code files} or one
     * of these with equal probability ({@link MixingSchedule}); default none.
     */
    public Builder mixedIn(List<DataSource> v) {
      mixedIn = List.copyOf(v);
      return this;
    }

    /** {@code pad} (default) or {@code center_crop}: see {@link EvalPreprocessing}. */
    public Builder evalResize(String v) {
      evalResize = v;
      return this;
    }

    /** Evaluation: also emit the dense labels at their original resolution; default off. */
    public Builder originalLabels(boolean v) {
      originalLabels = v;
      return this;
    }

    /**
     * Skip and count corrupt records instead of failing (default off: a corrupt record ends the
     * run with an error naming the file and byte offset). What is skipped: a record whose framing
     * or CRC is bad (TensorFlow's reader then gives up the rest of that file: framing cannot be
     * resynchronised) and a record that frames but does not decode (e.g. a broken PNG, a missing
     * label). The count is {@link InputBatch#CORRUPT_RECORDS_SKIPPED}.
     */
    public Builder skipCorrupt(boolean v) {
      skipCorrupt = v;
      return this;
    }

    public InputPipeline build() {
      return new InputPipeline(this);
    }
  }

  public boolean training() {
    return training;
  }

  public Set<LabelType> tasks() {
    return tasks;
  }

  public int batchSize() {
    return batchSize;
  }

  public int imageSize() {
    return imageSize;
  }

  /** The training zoom range {@code [min, max]}. */
  public float[] scaleJitter() {
    return new float[] {minScale, maxScale};
  }

  public boolean horizontalFlip() {
    return horizontalFlip;
  }

  public int shuffleBuffer() {
    return shuffleBuffer;
  }

  public int cycleLength() {
    return cycleLength;
  }

  public int parallelism() {
    return parallelism;
  }

  public int prefetch() {
    return prefetch;
  }

  public int maxBoxes() {
    return maxBoxes;
  }

  public boolean deterministic() {
    return deterministic;
  }

  public int numClasses() {
    return numClasses;
  }

  public boolean softLabels() {
    return softLabels;
  }

  public String depthFormat() {
    return depthFormat;
  }

  public boolean padFinalBatch() {
    return padFinalBatch;
  }

  /** The sources mixed into {@code files} (training), in order. */
  public List<DataSource> mixedIn() {
    return mixedIn;
  }

  public String evalResize() {
    return evalResize;
  }

  public boolean originalLabels() {
    return originalLabels;
  }

  public boolean skipCorrupt() {
    return skipCorrupt;
  }

  /** The file patterns as given (expanded at build time). */
  public List<String> files() {
    return files;
  }

  /** The fixed seed, or null when each build draws one. */
  public Long seed() {
    return seed;
  }

  /**
   * Adds the pipeline to {@code tf}'s graph and returns the batch tensors. Each call makes an
   * independent pipeline with its own iterator. Fails with a message naming the patterns when no
   * file matches.
   */
  public InputBatch build(Ops tf) {
    return build(tf, 0);
  }

  /**
   * As {@link #build(Ops)}, starting {@code skipElements} examples into the training stream: a run
   * resumed at step {@code s} passes {@code s * batchSize} and reads exactly the batches an
   * uninterrupted run reads from step {@code s} on (needs a fixed {@code seed}). Skipped examples
   * are read and shuffled but not decoded.
   */
  public InputBatch build(Ops tf, long skipElements) {
    if (skipElements < 0 || (skipElements > 0 && !training)) {
      throw new IllegalArgumentException("skipElements must be 0 for evaluation and >= 0 for training: " + skipElements);
    }
    List<Path> paths = TFRecordFiles.expandAll(files);
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("no TFRecord files match " + files);
    }
    long effectiveSeed = seed != null ? seed : new SecureRandom().nextLong();
    Graph graph = (Graph) tf.scope().env();
    Ops in = tf.withSubScope("input");
    ElementSpec spec = elementSpec();
    ExampleDecoder.Spec ownLabels = new ExampleDecoder.Spec(tasks, labelOptions());

    RawDataset ds;
    if (mixedIn.isEmpty()) {
      ds = decodedStream(in, graph, spec, paths, ownLabels, effectiveSeed, skipElements);
    } else {
      // Each source is a full stream of its own (file and record shuffles, repeat, numbering,
      // decoding with its own labels); a fixed schedule picks the source of every element, so a
      // resumed run skips exactly each source's share of the first skipElements elements.
      MixingSchedule schedule = new MixingSchedule(1 + mixedIn.size(), sourceSeed(effectiveSeed, -1));
      long[] skips = schedule.countsBefore(skipElements);
      List<Operand<? extends TType>> streams = new ArrayList<>();
      streams.add(decodedStream(in, graph, spec, paths, ownLabels, effectiveSeed, skips[0]).handle());
      for (int i = 0; i < mixedIn.size(); i++) {
        DataSource source = mixedIn.get(i);
        List<Path> sourcePaths = TFRecordFiles.expandAll(source.files());
        if (sourcePaths.isEmpty()) {
          throw new IllegalArgumentException("no TFRecord files match " + source.files() + " (Pipeline.mixed_in)");
        }
        streams.add(decodedStream(
            in.withSubScope("mixed_in_" + (i + 1)), graph, spec, sourcePaths, decoderSpec(source),
            sourceSeed(effectiveSeed, i + 1), skips[i + 1]).handle());
      }
      Operand<?> selector = in.data.tensorSliceDataset(
          List.of(in.constant(schedule.pattern())), List.of(Shape.scalar()));
      selector = in.data.repeatDataset(selector, in.constant(-1L), List.of(TInt64.class), List.of(Shape.scalar()));
      selector = in.data.skipDataset(
          selector, in.constant(skipElements % MixingSchedule.PERIOD), List.of(TInt64.class), List.of(Shape.scalar()));
      ds = new RawDataset(
          in.data.directedInterleaveDataset(selector, streams, spec.types(), spec.shapes()),
          spec.types(), spec.shapes());
    }

    long batchDim = training ? batchSize : -1;
    List<Operand<TInt64>> paddedShapes = new ArrayList<>();
    List<Operand<?>> padValues = new ArrayList<>();
    for (ElementSpec.Component c : spec.components()) {
      paddedShapes.add(in.constant(c.shape().asArray()));
      padValues.add(padValue(in, c));
    }
    List<Shape> batchedShapes = spec.batchedShapes(batchDim);
    ds = new RawDataset(
        in.data.paddedBatchDataset(
            ds.handle(), in.constant((long) batchSize), paddedShapes, padValues,
            in.constant(training), batchedShapes),
        spec.types(), batchedShapes);
    ds = new RawDataset(
        in.data.prefetchDataset(ds.handle(), in.constant((long) prefetch), ds.types(), ds.shapes()),
        ds.types(), ds.shapes());
    // Default graph rewrites off: they cannot serialise the TFRecord dataset. Read through a named
    // iterator: anonymous ones do not survive between Session.run calls.
    ds = DatasetOptions.apply(in, ds);
    NamedIterator iterator = NamedIterator.create(in, PipelineErrors.GET_NEXT_NAME, ds);

    Map<String, Operand<?>> tensors = new LinkedHashMap<>();
    List<ElementSpec.Component> components = spec.components();
    boolean pad = padFinalBatch && !training;
    Operand<TInt32> missingRows = pad ? missingRows(in, iterator.next().get(0)) : null;
    for (int i = 0; i < components.size(); i++) {
      ElementSpec.Component c = components.get(i);
      Operand<?> t = iterator.next().get(i);
      tensors.put(c.name(), pad ? padRows(in.withSubScope("pad_final_batch"), c, t, missingRows) : t);
    }
    return new InputBatch(
        tensors, iterator.initializer(), iterator.resource(), tasks, batchSize, imageSize, training, effectiveSeed, paths);
  }

  /** {@code batchSize} minus the rows of this batch (0 but for the last batch), int32 scalar. */
  private Operand<TInt32> missingRows(Ops tf, Operand<?> first) {
    Operand<TInt32> rows = tf.gather(tf.shape(first), tf.constant(0), tf.constant(0));
    return tf.math.sub(tf.constant(batchSize), rows);
  }

  /** Appends {@code missing} rows of the component's padding value; the result has static batch B. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Operand<?> padRows(Ops tf, ElementSpec.Component c, Operand<?> t, Operand<TInt32> missing) {
    int rank = c.shape().numDimensions() + 1;
    Operand<TInt32> batchRow =
        tf.reshape(tf.stack(List.of(tf.constant(0), missing)), tf.constant(new int[] {1, 2}));
    Operand<TInt32> paddings =
        rank == 1
            ? batchRow
            : tf.concat(List.of(batchRow, tf.constant(new int[rank - 1][2])), tf.constant(0));
    Operand padded = tf.pad((Operand) t, paddings, (Operand) padValue(tf, c));
    return tf.ensureShape(padded, c.shape().prepend(batchSize));
  }

  /**
   * One source's decoded elements: file names, read and (training) shuffled and repeated, numbered,
   * {@code skip} elements dropped undecoded, then parsed with {@code labels} and preprocessed.
   */
  private RawDataset decodedStream(
      Ops in, Graph graph, ElementSpec spec, List<Path> paths, ExampleDecoder.Spec labels, long seed, long skip) {
    // Files: a dataset of names, shuffled in the graph and reshuffled every epoch (the repeat
    // below restarts it), then read cycleLength at a time, interleaved record by record (see
    // TfRecordInterleave for how the per-file reader function is built). Evaluation: one file after
    // the other, in order.
    RawDataset ds = TfRecordInterleave.fileNames(in, paths, Compression.AUTO);
    if (training) {
      ds = shuffle(in, ds, paths.size(), seed, 1);
    }
    ds = TfRecordInterleave.records(
        in, ds, training ? cycleLength : 1, 1, TfRecordDatasets.DEFAULT_BUFFER_BYTES);
    if (training) {
      // Records are shuffled within an epoch; the repeat restarts the whole chain, so every epoch
      // gets a new file order and a new record order and epochs never mix.
      ds = shuffle(in, ds, shuffleBuffer, seed, 2);
      ds = new RawDataset(
          in.data.repeatDataset(ds.handle(), in.constant(-1L), ds.types(), ds.shapes()),
          ds.types(), ds.shapes());
    }
    // Number the elements so every element's augmentation has its own stateless seed.
    Operand<?> counter =
        in.data.rangeDataset(
            in.constant(0L), in.constant(Long.MAX_VALUE), in.constant(1L),
            List.of(TInt64.class), List.of(Shape.scalar()));
    List<Class<? extends TType>> zippedTypes = List.of(TInt64.class, TString.class);
    List<Shape> zippedShapes = List.of(Shape.scalar(), Shape.scalar());
    ds = new RawDataset(
        in.data.zipDataset(List.of(counter, ds.handle()), zippedTypes, zippedShapes),
        zippedTypes, zippedShapes);
    if (skip > 0) {
      // Before the map: skipped records are numbered (so later augmentation seeds match) but not decoded.
      ds = new RawDataset(
          in.data.skipDataset(ds.handle(), in.constant(skip), ds.types(), ds.shapes()),
          ds.types(), ds.shapes());
    }

    ConcreteFunction mapFn = mapFunction(spec, labels, seed);
    graph.attachFunction(mapFn);
    ds = new RawDataset(
        in.data.parallelMapDataset(
            ds.handle(), List.of(), in.constant((long) parallelism), mapFn,
            spec.types(), spec.shapes(),
            ParallelMapDataset.deterministic(deterministic ? "true" : "false")),
        spec.types(), spec.shapes());
    if (skipCorrupt) {
      // After the map, so that a record that cannot be read (the reader's error passes through
      // the zip and the map) and one that cannot be decoded are both dropped. Each element still
      // carries its number; the scan turns the gaps between numbers into counts.
      ds = new RawDataset(
          in.data.ignoreErrorsDataset(ds.handle(), ds.types(), ds.shapes(), IgnoreErrorsDataset.logWarning(true)),
          ds.types(), ds.shapes());
      ds = SkippedRecordCount.apply(in, graph, ds, spec.indexOf(InputBatch.CORRUPT_RECORDS_SKIPPED), skip);
    }
    return ds;
  }

  /** The seed of mixed-in source {@code i} (1, 2, ...) and of the schedule ({@code -1}). */
  private static long sourceSeed(long seed, int i) {
    return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 2))).nextLong();
  }

  /** The components every element carries, in order. */
  ElementSpec elementSpec() {
    ElementSpec spec = new ElementSpec();
    long s = imageSize;
    spec.add(InputBatch.IMAGE, TFloat32.class, Shape.of(s, s, 3), 0f);
    spec.add(InputBatch.SOURCE_ID, TString.class, Shape.scalar(), "");
    spec.add(InputBatch.ORIGINAL_HEIGHT, TInt32.class, Shape.scalar(), 0);
    spec.add(InputBatch.ORIGINAL_WIDTH, TInt32.class, Shape.scalar(), 0);
    spec.add(InputBatch.SCALE, TFloat32.class, Shape.scalar(), 0f);
    spec.add(InputBatch.EXAMPLE_VALID, TFloat32.class, Shape.scalar(), 0f);
    if (skipCorrupt) {
      // The map emits the element number here; SkippedRecordCount replaces it with the count.
      spec.add(InputBatch.CORRUPT_RECORDS_SKIPPED, TInt64.class, Shape.scalar(), 0L);
    }
    LabelOptions options = labelOptions();
    for (LabelType t : tasks) {
      t.addComponents(spec, options);
    }
    if (originalLabels) {
      // Each label map as decoded, padded to the largest in the batch (padding: ignore / invalid),
      // with its own size, since label maps may have another resolution than the image.
      for (LabelType t : tasks) {
        t.addOriginalComponents(spec);
      }
    }
    return spec;
  }

  /**
   * The per-element function: (element number, serialized Example) to the spec's components. The
   * components of tasks {@code labels} lacks (a mixed-in source) get their padding values.
   */
  private ConcreteFunction mapFunction(ElementSpec spec, ExampleDecoder.Spec labels, long effectiveSeed) {
    ExampleDecoder decoder = new ExampleDecoder(labels);
    return ConcreteFunction.create(
        tf -> {
          Placeholder<TInt64> index = tf.withName("element_index").placeholder(TInt64.class);
          Placeholder<TString> record = tf.withName("record").placeholder(TString.class);
          ExampleDecoder.Decoded decoded = decoder.decode(tf, record);
          Preprocessed preprocessed =
              training
                  ? new TrainAugmentation(imageSize, minScale, maxScale, horizontalFlip)
                      .preprocess(tf, decoded.sample(), StatelessSeeds.forElement(tf, effectiveSeed, index))
                  : new EvalPreprocessing(imageSize, evalResize).preprocess(tf, decoded.sample());
          Sample sample = preprocessed.sample();
          Map<String, Operand<?>> out = new LinkedHashMap<>();
          out.put(InputBatch.IMAGE, sample.image());
          out.put(InputBatch.SOURCE_ID, decoded.sourceId());
          out.put(InputBatch.ORIGINAL_HEIGHT, preprocessed.originalHeight());
          out.put(InputBatch.ORIGINAL_WIDTH, preprocessed.originalWidth());
          out.put(InputBatch.SCALE, preprocessed.window().scale());
          out.put(InputBatch.EXAMPLE_VALID, tf.constant(1f));
          if (skipCorrupt) {
            out.put(InputBatch.CORRUPT_RECORDS_SKIPPED, tf.identity(index));
          }
          // Each label type the source carries puts its tensors (the others get "no label" below).
          for (LabelType t : labels.types()) {
            t.putComponents(tf, sample, labels.options(), out);
          }
          if (originalLabels) {
            for (LabelType t : labels.types()) {
              t.putOriginalComponents(tf, decoded.sample(), out);
            }
          }
          Signature.Builder sig = Signature.builder().input("element_index", index).input("record", record);
          for (ElementSpec.Component c : spec.components()) {
            Operand<?> o = out.get(c.name());
            if (o == null && !labels.types().equals(tasks)) {
              o = noLabel(tf, c);
            }
            if (o == null) {
              throw new IllegalStateException("map function lacks component " + c.name());
            }
            sig.output(c.name(), o);
          }
          return sig.build();
        });
  }

  /** The "no label" value of a component: its padding value everywhere. */
  @SuppressWarnings("unchecked")
  private static Operand<?> noLabel(Ops tf, ElementSpec.Component c) {
    Operand<TInt64> dims = tf.constant(c.shape().asArray());
    return tf.fill(dims, (Operand<TType>) padValue(tf, c));
  }

  private static RawDataset shuffle(Ops in, RawDataset ds, long buffer, long seed, long stream) {
    return new RawDataset(
        in.data.shuffleDataset(
            ds.handle(), in.constant(buffer), in.constant(seed), in.constant(stream),
            in.random.dummySeedGenerator(), ds.types(), ds.shapes(),
            ShuffleDataset.reshuffleEachIteration(true)),
        ds.types(), ds.shapes());
  }

  private static Operand<?> padValue(Ops tf, ElementSpec.Component c) {
    Object v = c.padValue();
    if (c.type() == TFloat32.class) {
      return tf.constant(((Number) v).floatValue());
    }
    if (c.type() == TInt32.class) {
      return tf.constant(((Number) v).intValue());
    }
    if (c.type() == TInt64.class) {
      return tf.constant(((Number) v).longValue());
    }
    if (c.type() == TString.class) {
      return tf.constant((String) v);
    }
    throw new IllegalArgumentException("no padding for " + c);
  }
}
