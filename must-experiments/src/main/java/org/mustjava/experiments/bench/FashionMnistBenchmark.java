package org.mustjava.experiments.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.StepListener;
import org.mustjava.core.train.TrainResult;
import org.mustjava.core.train.Trainer;
import org.mustjava.data.convert.ConversionJob;
import org.mustjava.data.convert.ConvertDataset;
import org.mustjava.data.convert.DatasetConverters;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.tasks.MultiTaskTrainingTask;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * {@code tools/benchmark fmnist}: end-to-end training speed and accuracy of a small classifier on
 * real data, the second workload of issue 14's three-way comparison (must-java vs Keras vs
 * PyTorch, {@code tools/bench-reference/}). A narrow ResNet-18 (width x0.25, ImageNet stem) learns
 * Fashion-MNIST (Debian {@code dataset-fashion-mnist}, converted once to TFRecords and cached)
 * upscaled to 64 px, batch 128, SGD with momentum 0.9, cosine decay over the run, weight decay on
 * kernels, no augmentation; through the real path: {@link MultiTaskTrainingTask}, the TFRecord
 * {@code Pipeline} and {@link Trainer}. Training images/s are timed from the end of the warm-up
 * steps to the last step (checkpoint and evaluation excluded); accuracy is top-1 on the test split.
 * Prints a Markdown table and one JSON line ({@code tools/bench-reference/run} reads the latter).
 * The reference scripts take the same flags and defaults.
 */
public final class FashionMnistBenchmark {
  /** Fashion-MNIST training images (the train split of the published set). */
  static final int TRAIN_EXAMPLES = 60_000;

  /** Command-line flags (the reference scripts take the same ones). */
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--input", description = "Fashion-MNIST as published (the four idx .gz files).")
    String input = "/usr/share/datasets/fashion-mnist";

    @Parameter(names = "--data_dir", description = "Where the TFRecords are converted to once and reused (default: $TMPDIR/must-java-bench/fashion-mnist).")
    String dataDir = Path.of(System.getProperty("java.io.tmpdir"), "must-java-bench", "fashion-mnist").toString();

    @Parameter(names = "--depth", description = "ResNet depth.")
    int depth = 18;

    @Parameter(names = "--width", description = "ResNet width multiplier.")
    double width = 0.25;

    @Parameter(names = "--image_size", description = "Input height and width, px (the 28 px images are upscaled).")
    int imageSize = 64;

    @Parameter(names = "--batch", description = "Images per step.")
    int batch = 128;

    @Parameter(names = "--epochs", description = "Epochs over the training split (steps = epochs x floor(60000 / batch)).")
    int epochs = 2;

    @Parameter(names = "--max_steps", description = "Stop after this many steps (0: the epochs' steps); --quick runs use it. The cosine decay spans the steps run.")
    int maxSteps = 0;

    @Parameter(names = "--learning_rate", description = "Peak learning rate (cosine decay to 0 over the run, no warm-up).")
    double learningRate = 0.1;

    @Parameter(names = "--momentum", description = "SGD momentum.")
    double momentum = 0.9;

    @Parameter(names = "--weight_decay", description = "L2 on conv and dense kernels (gradient weight_decay x w).")
    double weightDecay = 5e-4;

    @Parameter(names = "--warmup_steps", description = "Untimed steps at the start (>= 1).")
    int warmupSteps = 20;

    @Parameter(names = "--eval_batches", description = "Test batches evaluated at the end (0: the whole test split).")
    int evalBatches = 0;

    @Parameter(names = "--intra_op_threads", description = "ConfigProto intra_op_parallelism_threads.")
    int intraOpThreads = 2;

    @Parameter(names = "--inter_op_threads", description = "ConfigProto inter_op_parallelism_threads.")
    int interOpThreads = 2;

    @Parameter(names = "--parallelism", description = "tf.data map parallelism of the pipelines (decode + resize).")
    int parallelism = 2;

    @Parameter(names = "--seed", description = "Seed of the variable initialisation and the shuffle.")
    long seed = 1;

    @Parameter(names = "--input_only", description = "Time the training pipeline alone (no model): images/s and the process's CPU ms per image, "
        + "what caching decoded examples could save at most.")
    boolean inputOnly = false;
  }

  private FashionMnistBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the benchmark; the table and the JSON line on {@code out}, progress on {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark fmnist",
        "Training images/s and test accuracy of a narrow ResNet on Fashion-MNIST through must-java's TFRecord\n"
            + "pipeline and trainer (tools/bench-reference/ measures the same with Keras and PyTorch).",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    long steps;
    try {
      if (f.imageSize < 32 || f.batch < 1 || f.epochs < 1 || f.maxSteps < 0 || f.warmupSteps < 1 || f.evalBatches < 0
          || f.intraOpThreads < 0 || f.interOpThreads < 0 || f.parallelism < 1) {
        throw new ParameterException("--image_size >= 32; --batch, --epochs, --warmup_steps, --parallelism >= 1; the rest >= 0");
      }
      steps = (long) f.epochs * (TRAIN_EXAMPLES / f.batch);
      if (f.maxSteps > 0) steps = Math.min(steps, f.maxSteps);
      if (steps <= f.warmupSteps) {
        throw new ParameterException("the run has " + steps + " steps, not more than --warmup_steps " + f.warmupSteps);
      }
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    try {
      Path data = Path.of(f.dataDir);
      convertOnce(Path.of(f.input), data, err);
      String config = config(f, data, steps);
      Injector injector = new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("fmnist.conf", config).build());
      if (f.inputOnly) return inputOnly(f, injector, data, steps, out, err);
      MultiTaskTrainingTask task = injector.create(MultiTaskTrainingTask.class);
      long params = trainableParameters(task.model(), f);
      err.printf(Locale.ROOT, "%,d trainable parameters; %d steps of batch %d, the first %d untimed%n", params, steps,
          f.batch, f.warmupSteps);
      TrainTimer timer = new TrainTimer(f.warmupSteps);
      Trainer trainer = injector.create(Trainer.class)
          .withLogger(new ProgressLogger(err, false, steps))
          .addListener(timer);
      String loadBefore = MachineInfo.loadAverage();
      Path stageDir = Files.createTempDirectory("bench-fmnist");
      TrainResult result;
      try {
        result = trainer.train(task, stageDir, injector.operativeConfig());
      } finally {
        InputBenchmark.deleteTree(stageDir);
      }
      long timedSteps = timer.timedSteps();
      double seconds = timer.timedSeconds();
      double imagesPerSecond = timedSteps * f.batch / seconds;
      Double accuracy = result.metrics().get("classification/top1");
      if (accuracy == null) throw new IllegalStateException("the evaluation has no classification/top1: " + result.metrics());

      out.println("machine: " + MachineInfo.describe());
      out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + MachineInfo.loadAverage() + " at the end");
      out.printf("session threads: intra_op %d, inter_op %d; pipeline parallelism %d%n%n", f.intraOpThreads,
          f.interOpThreads, f.parallelism);
      MarkdownTable table = new MarkdownTable("model", "params", "image px", "batch", "steps (timed)", "training images/s",
          "test top-1");
      table.row(String.format(Locale.ROOT, "ResNet-%d x%s, Fashion-MNIST", f.depth, f.width), params, f.imageSize, f.batch,
          steps + " (" + timedSteps + ")", InputBenchmark.fmt(imagesPerSecond),
          String.format(Locale.ROOT, "%.4f", accuracy));
      out.print(table);
      out.println(String.format(Locale.ROOT,
          "{\"framework\": \"must-java\", \"workload\": \"fmnist\", \"mode\": \"train\", \"images_per_s\": %.3f, "
              + "\"accuracy\": %.4f, \"params\": %d, \"steps\": %d, \"timed_steps\": %d, \"batch\": %d, \"image_size\": %d, "
              + "\"intra_op_threads\": %d, \"inter_op_threads\": %d}",
          imagesPerSecond, accuracy, params, steps, timedSteps, f.batch, f.imageSize, f.intraOpThreads, f.interOpThreads));
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("fmnist benchmark failed: " + e);
      return 1;
    }
  }

  /**
   * {@code --input_only}: the training run's own pipeline ({@code train/Pipeline} of {@link #config})
   * alone in a graph, every batch tensor fetched, timed over the run's steps after the warm-up. The
   * CPU time is the whole process's (tf.data's threads included), so CPU ms per image is what the
   * input costs the cores the training step shares with it.
   */
  private static int inputOnly(Flags f, Injector injector, Path data, long steps, PrintStream out, PrintStream err) {
    InputPipeline pipeline = injector.create(InputPipeline.class, "train", Map.of("files", List.of(files(data, "train"))));
    err.printf(Locale.ROOT, "the training pipeline alone: %d batches of %d, the first %d untimed%n", steps, f.batch, f.warmupSteps);
    Timing t = PipelineThroughput.time(pipeline, new StepTimer(f.warmupSteps, (int) (steps - f.warmupSteps), 0));
    double imagesPerSecond = t.perSecond(f.batch);
    double cpuMsPerImage = t.cpuSecondsPer(f.batch) * 1000;
    out.println("machine: " + MachineInfo.describe());
    out.printf(Locale.ROOT, "pipeline parallelism %d; %d timed batches of %d%n%n", f.parallelism, t.steps(), f.batch);
    MarkdownTable table = new MarkdownTable("input", "image px", "batch", "images/s", "CPU ms per image");
    table.row("Fashion-MNIST training pipeline alone", f.imageSize, f.batch, InputBenchmark.fmt(imagesPerSecond),
        String.format(Locale.ROOT, "%.3f", cpuMsPerImage));
    out.print(table);
    out.println(String.format(Locale.ROOT,
        "{\"framework\": \"must-java\", \"workload\": \"fmnist\", \"mode\": \"input\", \"images_per_s\": %.3f, "
            + "\"cpu_ms_per_image\": %.4f, \"batch\": %d, \"image_size\": %d, \"parallelism\": %d}",
        imagesPerSecond, cpuMsPerImage, f.batch, f.imageSize, f.parallelism));
    return 0;
  }

  /** The run as a config (the same bindings an experiment would write). */
  static String config(Flags f, Path data, long steps) {
    return String.join("\n",
        "MultiTaskTrainingTask.model = @MultiTaskModel()",
        "MultiTaskTrainingTask.train_files = ['" + files(data, "train").replace("'", "\\'") + "']",
        "MultiTaskTrainingTask.eval_files = ['" + files(data, "test").replace("'", "\\'") + "']",
        "MultiTaskTrainingTask.train_pipeline = @train/Pipeline",
        "MultiTaskTrainingTask.eval_pipeline = @eval/Pipeline",
        "MultiTaskTrainingTask.metrics = [@TopKAccuracy()]",
        "MultiTaskModel.backbone = @ResNet()",
        "MultiTaskModel.heads = [@ClassificationHead()]",
        "ResNet.depth = " + f.depth,
        "ResNet.width_multiplier = " + f.width,
        "ClassificationHead.num_classes = 10",
        "Pipeline.tasks = ['classification']",
        "Pipeline.image_size = " + f.imageSize,
        "Pipeline.batch_size = " + f.batch,
        "Pipeline.parallelism = " + f.parallelism,
        // No augmentation (the reference scripts have none): a zoom of exactly 1 and no flip.
        "train/Pipeline.training = True",
        "train/Pipeline.scale_jitter = [1.0, 1.0]",
        "train/Pipeline.horizontal_flip = False",
        "train/Pipeline.shuffle_buffer = 10000",
        "train/Pipeline.seed = " + f.seed,
        "eval/Pipeline.training = False",
        "Trainer.steps = " + steps,
        "Trainer.seed = " + f.seed,
        "Trainer.optimizer = @MomentumOptimizer()",
        "MomentumOptimizer.momentum = " + f.momentum,
        "Trainer.learning_rate = @CosineDecay()",
        "CosineDecay.rate = " + f.learningRate,
        "Trainer.weight_decay = " + f.weightDecay,
        // Bookkeeping only at the end, so the timed steps are training steps.
        "Trainer.log_every = 100",
        "Trainer.summary_every = " + steps,
        "Trainer.checkpoint_every = " + steps,
        "Trainer.keep_checkpoints = 1",
        "Trainer.eval_batches = " + f.evalBatches,
        "Trainer.intra_op_threads = " + f.intraOpThreads,
        "Trainer.inter_op_threads = " + f.interOpThreads,
        "");
  }

  /** The TFRecord pattern of a converted split ({@code train} or {@code test}) under {@code data}. */
  static String files(Path data, String split) {
    return data.toAbsolutePath() + "/fashion-mnist-" + split + "-*";
  }

  /** Converts the published set to TFRecords under {@code data} unless both splits are there. */
  static void convertOnce(Path input, Path data, PrintStream log) throws IOException {
    if (hasShards(data, "fashion-mnist-train-") && hasShards(data, "fashion-mnist-test-")) return;
    if (!Files.isDirectory(input)) {
      throw new java.io.FileNotFoundException("--input " + input
          + " does not exist (Debian package dataset-fashion-mnist; tools/setup installs it)");
    }
    long t0 = System.nanoTime();
    log.println("converting " + input + " to " + data + " (once)...");
    ConversionJob job = new ConversionJob(input, data.resolve("fashion-mnist"), 1, null, Map.of());
    ConvertDataset.convert(DatasetConverters.create("fashion-mnist"), job);
    log.printf(Locale.ROOT, "converted in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static boolean hasShards(Path dir, String prefix) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "*")) {
      return s.iterator().hasNext();
    }
  }

  /** Trainable scalars of {@code model} (BatchNorm moving statistics excluded), built once in a scratch graph. */
  static long trainableParameters(MultiTaskModel model, Flags f) {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, f.seed);
      var images = ctx.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(f.batch, f.imageSize, f.imageSize, 3)));
      model.build(ctx, images, null);
      return ctx.parameterCount("", true);
    }
  }

  /** Wall time from the end of the warm-up steps to the end of the last step. */
  static final class TrainTimer implements StepListener {
    private final long warmupSteps;
    private long start;
    private long end;
    private long timedSteps;

    TrainTimer(long warmupSteps) {
      this.warmupSteps = warmupSteps;
    }

    @Override
    public void onStep(long step, Map<String, Double> losses, double learningRate) {
      long now = System.nanoTime();
      // step counts completed steps (1 after the first).
      if (step == warmupSteps) start = now;
      if (step > warmupSteps) {
        end = now;
        timedSteps = step - warmupSteps;
      }
    }

    long timedSteps() {
      if (timedSteps == 0) throw new IllegalStateException("no step after the warm-up was timed");
      return timedSteps;
    }

    double timedSeconds() {
      return (end - start) / 1e9;
    }
  }
}
