package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.TrackedScope;
import org.tensorflow.Graph;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * The project's {@link TrackedScope} builds the very graph TF Java's own scopes build: the mini
 * student's training graph (input pipeline, ResNet + FPN, four heads, losses, gradients, optimiser),
 * on two towers, has the same op names in the same order, and node for node the same
 * definitions (ops, inputs, devices, attributes) outside the backward pass.
 */
class GraphBuildBenchmarkTest {
  @TempDir Path dir;

  @Test
  void trackedScopesBuildTheSameGraphAsTensorFlowScopes() throws Exception {
    Path file = BenchmarkScenes.write(dir, 32, 4, 1, 5);
    // Two towers: the one-tower graph plus per-device scopes, tower gradients and their aggregation.
    for (List<String> devices : List.of(List.of("/device:CPU:0", "/device:CPU:1"))) {
      List<NodeDef> tf = studentGraph(file, devices, true);
      List<NodeDef> tracked = studentGraph(file, devices, false);
      assertTrue(tf.size() > 1000, "a real graph: " + tf.size() + " nodes");
      assertEquals(names(tf), names(tracked), "op names, " + devices);
      for (int i = 0; i < tf.size(); i++) {
        NodeDef a = tf.get(i);
        NodeDef b = tracked.get(i);
        if (isGradient(a)) {
          // TF's addGradients wires the backward pass in an order that varies from build to build
          // even with TF's own scopes (two TF-scope builds differ there too): compare the op only.
          assertEquals(a.getOp(), b.getOp(), "op of " + a.getName());
        } else {
          assertEquals(a, b, "node " + a.getName() + ", " + devices);
        }
      }
    }
  }

  private static List<NodeDef> studentGraph(Path file, List<String> devices, boolean tfScopes) throws Exception {
    String previous = System.getProperty(TrackedScope.TF_SCOPES_PROPERTY);
    System.setProperty(TrackedScope.TF_SCOPES_PROPERTY, Boolean.toString(tfScopes));
    try (Graph g = new Graph()) {
      InputBenchmark.SizeSetting setting =
          new InputBenchmark.SizeSetting(32, 2, 4, StudentModel.mini(BenchmarkScenes.NUM_CLASSES));
      BenchmarkStepTask task = new BenchmarkStepTask(setting.model().model(),
          BenchmarkStepTask.pipelineInputs(InputBenchmark.pipeline(file, setting, 1, 5)));
      task.trainingGraph(GraphContext.create(g, 5), 1e-4, devices);
      List<NodeDef> nodes = new ArrayList<>();
      for (NodeDef n : GraphDef.parseFrom(g.toGraphDef().toByteArray()).getNodeList()) {
        // An iterator's shared name carries a process-wide counter (NamedIterator): differs by design.
        nodes.add(n.getOp().equals("IteratorV2") ? n.toBuilder().removeAttr("shared_name").build() : n);
      }
      return nodes;
    } finally {
      if (previous == null) System.clearProperty(TrackedScope.TF_SCOPES_PROPERTY);
      else System.setProperty(TrackedScope.TF_SCOPES_PROPERTY, previous);
    }
  }

  private static boolean isGradient(NodeDef n) {
    return ("/" + n.getName()).matches(".*/gradients(_\\d+)?/.*");
  }

  private static List<String> names(List<NodeDef> nodes) {
    List<String> names = new ArrayList<>();
    for (NodeDef n : nodes) names.add(n.getName());
    return names;
  }

  @Test
  void benchmarkPrintsBothTimesForATinyClassifier() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = GraphBuildBenchmark.run(new String[] {"--models", "18x0.125@32"},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String table = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertTrue(table.contains("| ResNet-18 x0.125, 32 px |"), table);
    assertEquals(null, System.getProperty(TrackedScope.TF_SCOPES_PROPERTY), "the benchmark leaves no property set");
  }

  @Test
  void malformedModelIsAUsageError() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = GraphBuildBenchmark.run(new String[] {"--models", "fifty"},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("DEPTHxWIDTH@PIXELS"), err.toString(StandardCharsets.UTF_8));
  }
}
