package org.mustjava.experiments.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Where a training step's time goes: TensorFlow's step statistics ({@link RunMetadata}) of traced
 * steps, summed per op type and per model part.
 *
 * <p>An op's time is its own compute span ({@code op_end_rel_micros - op_start_rel_micros}), so
 * ops that wait (e.g. {@code IteratorGetNext} for a batch) count what they waited. Ops run in
 * parallel on the inter-op pool, so the sum of op times can exceed the wall time of the step; the
 * shares below are shares of that sum, not of the wall time.
 *
 * <p>Model parts come from op names (variable scopes: {@code backbone/}, {@code fpn/}, {@code
 * heads/<head>/}, input scopes, the engine's {@code train/} scope). Ops created by {@code
 * Graph.addGradients} are named {@code gradients/<OpType>_<n>} without the forward op's scope, so a
 * gradient op is attributed to the part of the nearest forward op among its inputs (e.g. the
 * kernel a {@code Conv2DBackpropInput} reads, the activation a {@code Conv2DBackpropFilter} reads),
 * searched breadth-first through other gradient ops, and counts as that part's backward pass.
 */
public final class OpProfile {
  /** Time of one group (an op type or a part), summed over the traced steps. */
  public record Entry(String name, long micros, long count) {}

  private final Map<String, long[]> byType = new TreeMap<>();
  private final Map<String, long[]> byPart = new TreeMap<>();
  private final Graph graph;
  private final Map<String, String> partCache = new HashMap<>();
  private int steps;
  private long totalMicros;

  /** @param graph the graph the traced steps ran (for op types and inputs) */
  public OpProfile(Graph graph) {
    this.graph = graph;
  }

  /** Adds one traced step. */
  public void add(RunMetadata metadata) {
    steps++;
    for (DeviceStepStats dev : metadata.getStepStats().getDevStatsList()) {
      for (NodeExecStats n : dev.getNodeStatsList()) {
        long micros = Math.max(0, n.getOpEndRelMicros() - n.getOpStartRelMicros());
        String name = n.getNodeName();
        // Nodes the runtime adds (_SOURCE, _SINK, sends/receives) have no graph operation.
        GraphOperation op = name.startsWith("_") ? null : graph.operation(name);
        accumulate(byType, op == null ? "(runtime)" : op.type(), micros);
        accumulate(byPart, op == null ? "other" : part(op), micros);
        totalMicros += micros;
      }
    }
  }

  private static void accumulate(Map<String, long[]> m, String key, long micros) {
    long[] v = m.computeIfAbsent(key, k -> new long[2]);
    v[0] += micros;
    v[1]++;
  }

  /**
   * The model part of {@code op}: {@code backbone}, {@code fpn}, {@code head <name>}, {@code loss},
   * {@code input}, {@code optimiser} (gradient norm, clipping, updates) or {@code other} (e.g. the
   * weight-decay term, built outside any scope), with {@code " (backward)"} for gradient ops.
   */
  String part(GraphOperation op) {
    String cached = partCache.get(op.name());
    if (cached != null) return cached;
    String part;
    if (!isGradient(op.name())) {
      part = forwardPart(op.name());
    } else {
      part = "other";
      // Breadth-first through gradient ops to the nearest forward op with a known part.
      ArrayDeque<GraphOperation> queue = new ArrayDeque<>(List.of(op));
      Set<String> seen = new HashSet<>(Set.of(op.name()));
      search:
      while (!queue.isEmpty() && seen.size() < 64) {
        GraphOperation g = queue.poll();
        for (int i = 0; i < g.numInputs(); i++) {
          GraphOperation in = (GraphOperation) g.input(i).op();
          if (!seen.add(in.name())) continue;
          if (isGradient(in.name())) {
            queue.add(in);
          } else if (!forwardPart(in.name()).equals("other")) {
            part = forwardPart(in.name());
            break search;
          }
        }
      }
      part += " (backward)";
    }
    partCache.put(op.name(), part);
    return part;
  }

  /** Ops {@code Graph.addGradients} made: below {@code gradients/} or {@code gradients_<tower>/}. */
  static boolean isGradient(String name) {
    int slash = name.indexOf('/');
    return slash > 0 && name.substring(0, slash).matches("gradients(_\\d+)?");
  }

  /** The part of a forward op, from its name. */
  static String forwardPart(String name) {
    // Towers nest the model below tower_<i>/ (multi-device); strip that to find the component.
    String n = name.replaceFirst("^tower_\\d+/", "");
    if (n.startsWith("input/") || n.startsWith("train_input/") || n.startsWith("eval_input/")
        || n.contains("IteratorGetNext")) {
      return "input";
    }
    if (n.startsWith("backbone/")) return "backbone";
    if (n.startsWith("fpn/")) return "fpn";
    if (n.startsWith("heads/")) {
      String[] p = n.split("/");
      return p.length > 2 ? "head " + p[1] : "heads";
    }
    if (n.startsWith("total_loss") || n.contains("loss")) return "loss";
    if (n.startsWith("train/") || n.startsWith("optimizer/") || n.startsWith("global_step")) return "optimiser";
    return "other";
  }

  public int steps() {
    return steps;
  }

  /** Summed op time per step, ms. */
  public double totalMillisPerStep() {
    return steps == 0 ? 0 : totalMicros / 1e3 / steps;
  }

  /** Op types, most time first. */
  public List<Entry> byOpType() {
    return sorted(byType);
  }

  /** Model parts, most time first. */
  public List<Entry> byPart() {
    return sorted(byPart);
  }

  private static List<Entry> sorted(Map<String, long[]> m) {
    List<Entry> out = new ArrayList<>();
    m.forEach((k, v) -> out.add(new Entry(k, v[0], v[1])));
    out.sort(Comparator.comparingLong(Entry::micros).reversed().thenComparing(Entry::name));
    return out;
  }

  /** The top {@code limit} entries as a Markdown table: ms per step, share of the op time, ops per step. */
  public MarkdownTable table(String what, List<Entry> entries, int limit) {
    MarkdownTable t = new MarkdownTable(what, "ms/step", "share of op time", "ops/step");
    long shown = 0;
    for (int i = 0; i < entries.size() && i < limit; i++) {
      Entry e = entries.get(i);
      shown += e.micros();
      t.row(e.name(), InputBenchmark.fmt(e.micros() / 1e3 / steps), percent(e.micros()),
          InputBenchmark.fmt((double) e.count() / steps));
    }
    if (entries.size() > limit) {
      long rest = totalMicros - shown;
      long restCount = entries.subList(limit, entries.size()).stream().mapToLong(Entry::count).sum();
      t.row("(" + (entries.size() - limit) + " more)", InputBenchmark.fmt(rest / 1e3 / steps), percent(rest),
          InputBenchmark.fmt((double) restCount / steps));
    }
    return t;
  }

  private String percent(long micros) {
    return String.format(java.util.Locale.ROOT, "%.1f %%", totalMicros == 0 ? 0 : 100.0 * micros / totalMicros);
  }

  /** Per-part totals as a map (tests, reports). */
  public Map<String, Long> partMicros() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Entry e : byPart()) m.put(e.name(), e.micros());
    return m;
  }
}
