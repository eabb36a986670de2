package org.mustjava.experiments.stages;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.tensorflow.Graph;

/**
 * Builds one graph for {@code tools/run-experiment --dry_run --build_graphs} (design.md section 4)
 * and describes it in one line: op count, build time, and the input files that are not there yet
 * (outputs of earlier stages, or data-set paths that do not exist here), which stand in as plain
 * names ({@link TFRecordFiles#placeholders()}): the graph is built, never run.
 */
public final class DryRunGraphs {
  private DryRunGraphs() {}

  /**
   * @param what what the graph is, e.g. {@code training graph + eval}
   * @param build adds the graph's ops to the context it is given
   * @return e.g. {@code training graph + eval: 41,233 ops, built in 12.4 s (CPU 10.1 s)}: wall-clock and
   *     this thread's CPU time (the build is single-threaded; on a shared machine the CPU time is
   *     the comparable number)
   */
  public static String build(String what, Consumer<GraphContext> build) {
    long start = System.nanoTime();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuStart = threads.isCurrentThreadCpuTimeSupported() ? threads.getCurrentThreadCpuTime() : -1;
    try (Graph graph = new Graph(); TFRecordFiles.Placeholders standIns = TFRecordFiles.placeholders()) {
      build.accept(GraphContext.create(graph, 1));
      long ops = 0;
      for (Iterator<?> it = graph.operations(); it.hasNext(); it.next()) ops++;
      double seconds = (System.nanoTime() - start) / 1e9;
      String cpu = cpuStart < 0 ? ""
          : String.format(Locale.ROOT, " (CPU %.1f s)", (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
      List<String> missing = standIns.missing();
      return String.format(Locale.ROOT, "%s: %,d ops, built in %.1f s", what, ops, seconds) + cpu
          + (missing.isEmpty() ? "" : "; input files not there yet (names stand in): " + String.join(", ", missing));
    }
  }
}
