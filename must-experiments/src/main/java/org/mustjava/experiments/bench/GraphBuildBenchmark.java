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
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.TrackedScope;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.core.train.TrainingGraph;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;

/**
 * {@code tools/benchmark graphbuild}: seconds to build a classifier's training graph (forward,
 * loss, gradients, optimiser) with the project's {@link TrackedScope} and with TensorFlow Java's
 * own scopes, whose every sub-scope walks the whole graph (docs/design.md section 8). The two are
 * built alternately, model by model, in one process, so their ratio is measured side by side.
 * Building is single-threaded Java and JNI work; nothing is run.
 */
public final class GraphBuildBenchmark {
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--models", description = "Classifiers as DEPTHxWIDTH@PIXELS, e.g. 18x0.25@64 (the mini backbone), 50x1@224, 152x1@224.")
    List<String> models = new ArrayList<>(List.of("18x0.25@64", "50x1@224", "152x1@224"));

    @Parameter(names = "--rounds", description = "Builds per model and scope kind (alternating).")
    int rounds = 1;

    @Parameter(names = "--batch", description = "Batch of the constant input.")
    int batch = 2;
  }

  record Model(int depth, double width, int pixels) {
    static Model parse(String s) {
      try {
        String[] at = s.split("@");
        String[] x = at[0].split("x");
        return new Model(Integer.parseInt(x[0]), Double.parseDouble(x[1]), Integer.parseInt(at[1]));
      } catch (RuntimeException e) {
        throw new ParameterException("--models: '" + s + "' is not DEPTHxWIDTH@PIXELS (e.g. 50x1@224)");
      }
    }

    String describe() {
      return String.format(Locale.ROOT, "ResNet-%d%s, %d px", depth, width == 1.0 ? "" : " x" + width, pixels);
    }
  }

  private GraphBuildBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the benchmark; the table on {@code out}, progress on {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark graphbuild",
        "Seconds to build a classifier's training graph with the project's scopes and with TensorFlow Java's own,\nalternating, in one process.",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    List<Model> models = new ArrayList<>();
    try {
      if (f.rounds < 1 || f.batch < 1) throw new ParameterException("--rounds and --batch >= 1");
      for (String m : f.models) models.add(Model.parse(m));
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    String loadBefore = MachineInfo.loadAverage();
    MarkdownTable table = new MarkdownTable("model", "graph ops", "TF Java scopes, s", "TrackedScope, s", "ratio");
    try {
      for (Model m : models) {
        List<Double> tf = new ArrayList<>();
        List<Double> tracked = new ArrayList<>();
        int ops = 0;
        build(new Model(18, 0.125, 32), f.batch, false); // warms the JVM and TF up, untimed
        for (int r = 0; r < f.rounds; r++) {
          // Alternating which goes first, so neither always meets a colder process.
          for (boolean tfScopes : r % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
            double[] secondsAndOps = build(m, f.batch, tfScopes);
            (tfScopes ? tf : tracked).add(secondsAndOps[0]);
            ops = (int) secondsAndOps[1];
            err.printf(Locale.ROOT, "%s, %s scopes: %.1f s, %,d ops%n", m.describe(),
                tfScopes ? "TF Java" : "tracked", secondsAndOps[0], ops);
          }
        }
        double a = median(tf);
        double b = median(tracked);
        table.row(m.describe(), String.format(Locale.ROOT, "%,d", ops), InputBenchmark.fmt(a),
            InputBenchmark.fmt(b), String.format(Locale.ROOT, "%.1fx", a / b));
      }
    } catch (RuntimeException e) {
      err.println("error: " + e);
      return 1;
    }
    out.println("machine: " + MachineInfo.describe());
    out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + MachineInfo.loadAverage() + " at the end");
    out.printf(Locale.ROOT, "median of %d build(s) each, batch %d; the ratio is TF Java scopes / TrackedScope%n%n", f.rounds, f.batch);
    out.print(table);
    return 0;
  }

  /** Builds one training graph; returns {seconds, number of ops}. */
  static double[] build(Model m, int batch, boolean tfScopes) {
    String previous = System.getProperty(TrackedScope.TF_SCOPES_PROPERTY);
    System.setProperty(TrackedScope.TF_SCOPES_PROPERTY, Boolean.toString(tfScopes));
    try (Graph g = new Graph()) {
      long start = System.nanoTime();
      GraphContext ctx = GraphContext.create(g, 1);
      MultiTaskModel model = new MultiTaskModel(ResNet.of(m.depth(), m.width()), null,
          List.of(ClassificationHead.of(BenchmarkScenes.NUM_CLASSES)), Map.of());
      BenchmarkStepTask task = new BenchmarkStepTask(model, tf -> new TaskInputs(Map.of(
          LabelKeys.IMAGE, tf.zeros(tf.constant(Shape.of(batch, m.pixels(), m.pixels(), 3)), org.tensorflow.types.TFloat32.class),
          LabelKeys.CLASS_LABEL, tf.zeros(tf.constant(new int[] {batch}), org.tensorflow.types.TInt32.class)), List.of(), batch));
      TrainingGraph tg = task.trainingGraph(ctx, 1e-4);
      if (tg.trainOp == null) throw new IllegalStateException("no train op built");
      double seconds = (System.nanoTime() - start) / 1e9;
      int[] ops = {0};
      g.operations().forEachRemaining(op -> ops[0]++);
      return new double[] {seconds, ops[0]};
    } finally {
      if (previous == null) System.clearProperty(TrackedScope.TF_SCOPES_PROPERTY);
      else System.setProperty(TrackedScope.TF_SCOPES_PROPERTY, previous);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }
}
