package org.mustjava.models.tools;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.config.Config;
import org.mustjava.core.config.ConfigException;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.config.Injector;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.MultiTaskModel;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * {@code tools/model-summary --config FILE [--binding B]... [--image_size N]}: parameters per
 * component (backbone, FPN, each head), the total, and FLOPs per image.
 *
 * <p>The config binds {@code ModelSummary.model} (usually {@code @MultiTaskModel()}) and
 * {@code ModelSummary.image_size}; {@code --image_size} overrides the latter. The model is built
 * in evaluation mode on one square image of that size; no weights are initialised or run.
 * "Parameters" are trainable variables; non-trainable ones (BatchNorm moving statistics, frozen
 * layers) are listed separately. FLOPs are counted by {@link FlopCounter}.
 *
 * <p>Exit status: 0 success, 2 bad flags or configuration, 1 failure while building.
 */
public final class ModelSummary {
  private final MultiTaskModel model;
  private final int imageSize;

  /** One line of the table. */
  public record Row(String component, long parameters, long nonTrainable, long macs) {}

  /**
   * @param model the network to summarise
   * @param imageSize input height and width (FLOPs depend on it, parameters do not)
   */
  @Configurable("ModelSummary")
  public ModelSummary(MultiTaskModel model, @Default("224") int imageSize) {
    if (imageSize <= 0) throw new IllegalArgumentException("ModelSummary.image_size must be positive, got " + imageSize);
    this.model = model;
    this.imageSize = imageSize;
  }

  public int imageSize() {
    return imageSize;
  }

  public MultiTaskModel model() {
    return model;
  }

  /** Builds the model and returns one row per component, then a "total" row. */
  public List<Row> summarize() {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 0).withTraining(false);
      var images = ctx.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(1, imageSize, imageSize, 3)));
      model.build(ctx, images, null);
      List<Row> rows = new ArrayList<>();
      long params = 0;
      long fixed = 0;
      long macs = 0;
      for (var e : model.componentPrefixes().entrySet()) {
        String prefix = e.getValue();
        long p = ctx.parameterCount(prefix, true);
        long n = ctx.parameterCount(prefix, false) - p;
        long m = FlopCounter.macs(g, prefix);
        rows.add(new Row(e.getKey(), p, n, m));
        params += p;
        fixed += n;
        macs += m;
      }
      long allParams = ctx.parameterCount("", true);
      long allMacs = FlopCounter.macs(g, "");
      if (allParams != params || allMacs != macs) {
        // Variables or counted ops outside the component scopes: show them rather than hide them.
        rows.add(new Row("other", allParams - params, ctx.parameterCount("", false) - allParams - fixed, allMacs - macs));
      }
      rows.add(new Row("total", allParams, ctx.parameterCount("", false) - allParams, allMacs));
      return rows;
    }
  }

  /** The table as printed by the tool. */
  public String format(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-28s %15s %15s %14s%n", "component", "parameters", "non-trainable", "GFLOPs/image"));
    for (Row r : rows) {
      if (r.component().equals("total")) sb.append("-".repeat(75)).append('\n');
      sb.append(String.format(Locale.ROOT, "%-28s %,15d %,15d %14.2f%n",
          r.component(), r.parameters(), r.nonTrainable(), 2.0 * r.macs() / 1e9));
    }
    Row total = rows.get(rows.size() - 1);
    sb.append(String.format(Locale.ROOT,
        "%nTotal parameters: %,d (trainable; plus %,d non-trainable, e.g. BatchNorm moving statistics)%n",
        total.parameters(), total.nonTrainable()));
    sb.append(String.format(Locale.ROOT,
        "FLOPs per image at %dx%d: %,d (%.2f G; 2 x multiply-accumulates of Conv2D and MatMul ops)%n",
        imageSize, imageSize, 2 * total.macs(), 2.0 * total.macs() / 1e9));
    StringBuilder weights = new StringBuilder();
    for (var head : model.heads()) {
      if (weights.length() > 0) weights.append(", ");
      weights.append(head.name()).append(' ').append(String.format(Locale.ROOT, "%.4g", model.lossWeight(head.name())));
    }
    sb.append("Loss weights: ").append(weights).append('\n');
    return sb.toString();
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** The flags of {@code tools/model-summary}; repeatable values are kept whole (bindings contain commas). */
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--config", description = "A .conf file (repeatable, read in order; at least one).",
        splitter = CommandLine.WholeValue.class)
    List<Path> configs = new ArrayList<>();

    @Parameter(names = "--binding", description = "A binding applied after the files, e.g. 'ResNet.depth = 101' (repeatable).",
        splitter = CommandLine.WholeValue.class)
    List<String> bindings = new ArrayList<>();

    @Parameter(names = "--image_size", description = "Input height and width (overrides ModelSummary.image_size).")
    Integer imageSize;

    @Parameter(names = "--search_path", description = "Where includes are looked up after the including file's directory (repeatable).",
        splitter = CommandLine.WholeValue.class)
    List<Path> searchPaths = new ArrayList<>();
  }

  /** Runs the tool in-process; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags flags = new Flags();
    CommandLine commandLine = new CommandLine("tools/model-summary",
        "Prints the parameters of each component (backbone, FPN, each head), the total and the FLOPs per image\n"
            + "of the model bound to ModelSummary.model (e.g. @MultiTaskModel()).",
        "0 success, 1 building the model failed, 2 usage or configuration error", flags);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    if (flags.configs.isEmpty()) return commandLine.usageError("--config is required", err);
    List<Path> configs = flags.configs;
    List<String> bindings = flags.bindings;
    List<Path> searchPaths = flags.searchPaths;
    Integer imageSize = flags.imageSize;
    ModelSummary summary;
    try {
      for (Path c : configs) {
        if (!Files.isRegularFile(c)) {
          err.println("error: config file not found: " + c);
          return 2;
        }
      }
      ConfigLoader loader = new ConfigLoader(ConfigRegistry.fromServices());
      searchPaths.forEach(loader::addSearchPath);
      configs.forEach(loader::parseFile);
      bindings.forEach(loader::parseBinding);
      Config config = loader.build();
      Map<String, Object> explicit = new HashMap<>();
      if (imageSize != null) explicit.put("image_size", imageSize);
      summary = new Injector(config).create(ModelSummary.class, "", explicit);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 2;
    }
    try {
      out.print(summary.format(summary.summarize()));
      return 0;
    } catch (RuntimeException e) {
      err.println("error: building the model failed: " + e.getMessage());
      return 1;
    }
  }
}
