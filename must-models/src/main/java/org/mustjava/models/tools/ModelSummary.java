package org.mustjava.models.tools;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

  static final String USAGE = """
      Usage: tools/model-summary --config FILE [--config FILE]... [--binding 'A.b = v']... [--image_size N]
                                 [--search_path DIR]...
      Prints the parameters of each component (backbone, FPN, each head), the total and the FLOPs
      per image of the model bound to ModelSummary.model (e.g. @MultiTaskModel()).
        --config FILE       a .conf file (repeatable, read in order)
        --binding B         a binding applied after the files (repeatable)
        --image_size N      input height and width (overrides ModelSummary.image_size)
        --search_path DIR   where includes are looked up after the including file's directory
        --help              this text
      """;

  /** Runs the tool in-process; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    List<Path> configs = new ArrayList<>();
    List<String> bindings = new ArrayList<>();
    List<Path> searchPaths = new ArrayList<>();
    Integer imageSize = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String flag = a.contains("=") && a.startsWith("--") ? a.substring(0, a.indexOf('=')) : a;
      if (flag.equals("--help") || flag.equals("-h")) {
        out.print(USAGE);
        return 0;
      }
      String value;
      if (a.startsWith("--") && a.contains("=")) {
        value = a.substring(a.indexOf('=') + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        err.println("error: " + a + " needs a value\n" + USAGE);
        return 2;
      }
      switch (flag) {
        case "--config" -> configs.add(Path.of(value));
        case "--binding" -> bindings.add(value);
        case "--search_path" -> searchPaths.add(Path.of(value));
        case "--image_size" -> {
          try {
            imageSize = Integer.parseInt(value);
          } catch (NumberFormatException e) {
            err.println("error: --image_size must be an integer, got '" + value + "'");
            return 2;
          }
        }
        default -> {
          err.println("error: unknown flag '" + a + "'\n" + USAGE);
          return 2;
        }
      }
    }
    if (configs.isEmpty()) {
      err.println("error: --config is required\n" + USAGE);
      return 2;
    }
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
