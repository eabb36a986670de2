package org.mustjava.experiments.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.core.train.TrainingGraph;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@code tools/benchmark models}: images/s of a ResNet classifier built by must-models (default
 * ResNet-50, 1000 classes, 224 px, batch 8), in inference (forward, BatchNorm with moving
 * statistics) and training (the training engine's train op, {@code TrainingGraph#trainOp}: forward,
 * backward, global gradient norm, SGD with momentum 0.9, BatchNorm updates; no weight decay), on
 * constant random input. {@code tools/bench-reference/keras_resnet.py} measures the same with
 * Keras ({@code tf.keras.applications.ResNet50}) so the two can be compared in one session.
 */
public final class ModelsBenchmark {
  /** Command-line flags (the Keras reference script takes the same ones). */
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--depth", description = "ResNet depth (18, 34, 50, 101, 152, 200).")
    int depth = 50;

    @Parameter(names = "--width", description = "ResNet width multiplier.")
    double width = 1.0;

    @Parameter(names = "--image_size", description = "Input height and width, px.")
    int imageSize = 224;

    @Parameter(names = "--batch", description = "Images per step.")
    int batch = 8;

    @Parameter(names = "--classes", description = "Classes of the linear head.")
    int classes = 1000;

    @Parameter(names = "--modes", description = "What to time: forward, train.")
    List<String> modes = new ArrayList<>(List.of("forward", "train"));

    @Parameter(names = "--seconds", description = "Minimum timed seconds per mode (after the warm-up steps).")
    double seconds = 20;

    @Parameter(names = "--min_steps", description = "Minimum timed steps per mode.")
    int minSteps = 3;

    @Parameter(names = "--warmup_steps", description = "Untimed steps per mode before timing.")
    int warmupSteps = 2;

    @Parameter(names = "--intra_op_threads", description = "ConfigProto intra_op_parallelism_threads (0: TensorFlow's default, one per core).")
    int intraOpThreads = 0;

    @Parameter(names = "--inter_op_threads", description = "ConfigProto inter_op_parallelism_threads (0: TensorFlow's default).")
    int interOpThreads = 0;

    @Parameter(names = "--seed", description = "Seed of the input and the variable initialisation.")
    long seed = 1;

    @Parameter(names = "--json", description = "Also print one JSON line per mode (what tools/bench-reference/run reads).")
    boolean json = false;

  }

  private ModelsBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the benchmark; the table on {@code out}, progress on {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark models",
        "Images/s of a ResNet classifier built by must-models in inference and training, on constant random\ninput (tools/bench-reference/keras_resnet.py measures the same with Keras).",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    try {
      for (String m : f.modes) {
        if (!m.equals("forward") && !m.equals("train")) throw new ParameterException("unknown mode '" + m + "' (forward, train)");
      }
      if (f.imageSize < 32 || f.batch < 1 || f.classes < 1 || f.minSteps < 1 || f.warmupSteps < 0 || f.seconds < 0) {
        throw new ParameterException("--image_size >= 32; --batch, --classes, --min_steps >= 1; --warmup_steps, --seconds >= 0");
      }
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    String loadBefore = MachineInfo.loadAverage();
    StepTimer timer = new StepTimer(f.warmupSteps, f.minSteps, f.seconds);
    String model = String.format(Locale.ROOT, "ResNet-%d%s, %d classes", f.depth,
        f.width == 1.0 ? "" : " x" + f.width, f.classes);
    MarkdownTable table = new MarkdownTable("model", "image px", "batch", "mode", "steps timed", "s/step", "images/s",
        "CPU s/image");
    List<String> json = new ArrayList<>();
    for (String mode : f.modes) {
      long[] params = new long[1];
      Timing t = time(f, mode.equals("train"), timer, err, params);
      json.add(String.format(Locale.ROOT,
          "{\"framework\": \"must-java\", \"workload\": \"resnet%d\", \"mode\": \"%s\", \"images_per_s\": %.3f, "
              + "\"accuracy\": null, \"params\": %d, \"timed_steps\": %d, \"batch\": %d, \"image_size\": %d, "
              + "\"intra_op_threads\": %d, \"inter_op_threads\": %d}",
          f.depth, mode, t.perSecond(f.batch), params[0], t.steps(), f.batch, f.imageSize, f.intraOpThreads,
          f.interOpThreads));
      table.row(model, f.imageSize, f.batch, mode, t.steps(), InputBenchmark.fmt(t.secondsPerStep()),
          InputBenchmark.fmt(t.perSecond(f.batch)), InputBenchmark.fmt(t.cpuSecondsPer(f.batch)));
      err.printf(Locale.ROOT, "%s: %.2f images/s%n", mode, t.perSecond(f.batch));
    }
    out.println("machine: " + MachineInfo.describe());
    out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + MachineInfo.loadAverage() + " at the end");
    out.printf("session threads: intra_op %d, inter_op %d (0 = TensorFlow's default)%n%n", f.intraOpThreads, f.interOpThreads);
    out.print(table);
    if (f.json) json.forEach(out::println);
    return 0;
  }

  /** Builds the model for one mode in its own graph and times its step; its trainable parameters go to {@code params[0]}. */
  static Timing time(Flags f, boolean training, StepTimer timer, PrintStream log, long[] params) {
    ConfigProto config = ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(f.intraOpThreads)
        .setInterOpParallelismThreads(f.interOpThreads)
        .build();
    try (Graph g = new Graph(); Session s = new Session(g, config)) {
      GraphContext ctx = GraphContext.create(g, f.seed);
      float[] pixels = randomImages(f.batch * f.imageSize * f.imageSize * 3, f.seed);
      int[] classes = new int[f.batch];
      for (int i = 0; i < classes.length; i++) classes[i] = (int) ((i * 7919L + f.seed) % f.classes);
      MultiTaskModel model = new MultiTaskModel(ResNet.of(f.depth, f.width), null,
          List.of(ClassificationHead.of(f.classes)), Map.of());
      BenchmarkStepTask task = new BenchmarkStepTask(model, tf -> new TaskInputs(Map.of(
          LabelKeys.IMAGE, tf.constant(Shape.of(f.batch, f.imageSize, f.imageSize, 3), DataBuffers.of(pixels)),
          LabelKeys.CLASS_LABEL, tf.constant(classes)), List.of(), f.batch));
      Op train;
      Operand<?> fetch;
      if (training) {
        // The engine's train op; no weight decay: the Keras reference has none either (SGD with momentum only).
        TrainingGraph tg = task.trainingGraph(ctx, 0);
        train = tg.trainOp;
        fetch = tg.totalLoss;
      } else {
        GraphContext eval = ctx.withTraining(false);
        ModelOutputs out = task.buildModel(eval, task.buildInputs(eval, Mode.EVAL, 0).tensors(), Mode.EVAL);
        train = null;
        fetch = out.predictions().get("classification").get("logits");
      }
      s.initialize();
      params[0] = ctx.parameterCount("", true);
      log.printf(Locale.ROOT, "%s: %,d trainable parameters; timing...%n", training ? "train" : "forward", params[0]);
      return timer.time(() -> {
        Session.Runner r = s.runner().fetch(fetch);
        if (train != null) r.addTarget(train);
        try (Result res = r.run()) {
          if (train != null) {
            float loss = ((TFloat32) res.get(0)).getFloat();
            if (!Float.isFinite(loss)) throw new IllegalStateException("training diverged: loss " + loss);
          }
        }
      });
    }
  }

  /** Uniform [-1, 1) pixels (the model's input is normalised images). */
  private static float[] randomImages(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 2 - 1;
    return v;
  }
}
