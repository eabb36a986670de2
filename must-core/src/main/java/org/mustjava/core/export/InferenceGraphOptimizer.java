package org.mustjava.core.export;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * Rewrites a loaded inference graph into a faster equivalent for a frozen model (a teacher):
 *
 * <ol>
 *   <li>prunes it to what the requested outputs need (no initialisers, savers, training ops);
 *   <li>freezes the variables it reads into constants (their current values in {@code session});
 *   <li>folds every inference-mode {@code FusedBatchNorm} that follows a {@code Conv2D} (optionally
 *       with a {@code BiasAdd} between) into the convolution: the filter is scaled per output
 *       channel by {@code gamma / sqrt(var + eps)} and the normalisation becomes a {@code BiasAdd}
 *       of {@code beta - mean * scale} (+ the old bias times scale).
 * </ol>
 *
 * Node names of the outputs are kept, so the SavedModel's signature applies to the result. Graphs
 * it cannot freeze completely (variables read through function calls, as TF2 SavedModels do, or
 * of types it does not convert) are reported by {@link UnsupportedGraphException}; callers then
 * keep the original graph.
 */
public final class InferenceGraphOptimizer {
  private InferenceGraphOptimizer() {}

  /** The rewritten graph and what was done. */
  public record Optimized(GraphDef graphDef, int frozenVariables, int foldedBatchNorms, int nodesBefore, int nodesAfter) {}

  /** The graph cannot be rewritten safely. */
  public static final class UnsupportedGraphException extends Exception {
    UnsupportedGraphException(String message) {
      super(message);
    }
  }

  private static final Set<String> BATCH_NORMS = Set.of("FusedBatchNorm", "FusedBatchNormV2", "FusedBatchNormV3");

  /**
   * @param session the session holding the variables' values
   * @param outputNodes names of the nodes whose outputs are fetched
   */
  public static Optimized optimize(GraphDef graph, Session session, Collection<String> outputNodes)
      throws UnsupportedGraphException {
    Map<String, NodeDef> nodes = new LinkedHashMap<>();
    for (NodeDef n : graph.getNodeList()) nodes.put(n.getName(), n);
    nodes = prune(nodes, outputNodes);
    int frozen = freeze(nodes, session);
    int folded = foldBatchNorms(nodes);
    nodes = prune(nodes, outputNodes);
    for (NodeDef n : nodes.values()) {
      if (n.getOp().startsWith("Variable") || n.getOp().equals("VarHandleOp") || n.getOp().contains("PartitionedCall")) {
        throw new UnsupportedGraphException("node '" + n.getName() + "' (" + n.getOp() + ") cannot be frozen");
      }
    }
    GraphDef out = graph.toBuilder().clearNode().addAllNode(nodes.values()).build();
    return new Optimized(out, frozen, folded, graph.getNodeCount(), out.getNodeCount());
  }

  /** The nodes the outputs depend on (data and control inputs), in their original order. */
  private static Map<String, NodeDef> prune(Map<String, NodeDef> nodes, Collection<String> outputs) {
    Set<String> keep = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>(outputs);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!keep.add(name)) continue;
      NodeDef n = nodes.get(name);
      if (n == null) throw new IllegalArgumentException("the graph has no node '" + name + "'");
      for (String in : n.getInputList()) todo.push(nodeName(in));
    }
    Map<String, NodeDef> out = new LinkedHashMap<>();
    nodes.forEach((k, v) -> {
      if (keep.contains(k)) out.put(k, v);
    });
    return out;
  }

  /** Replaces each ref variable, and each read of a resource variable, by a constant. */
  private static int freeze(Map<String, NodeDef> nodes, Session session) throws UnsupportedGraphException {
    int count = 0;
    for (NodeDef n : List.copyOf(nodes.values())) {
      boolean refVariable = n.getOp().equals("VariableV2") || n.getOp().equals("Variable");
      boolean resourceRead = n.getOp().equals("ReadVariableOp") && n.getInputCount() == 1
          && nodes.containsKey(nodeName(n.getInput(0))) && nodes.get(nodeName(n.getInput(0))).getOp().equals("VarHandleOp");
      if (!refVariable && !resourceRead) continue;
      try (Result r = session.runner().fetch(n.getName()).run()) {
        nodes.put(n.getName(), constant(n.getName(), r.get(0)));
      }
      count++;
    }
    return count;
  }

  private static NodeDef constant(String name, Tensor t) throws UnsupportedGraphException {
    if (!(t instanceof TFloat32 f)) {
      throw new UnsupportedGraphException("variable '" + name + "' is " + t.dataType() + "; only float32 variables are frozen");
    }
    float[] v = new float[(int) f.size()];
    f.copyTo(DataBuffers.of(v, false, false));
    long[] dims = t.shape().asArray();
    return constant(name, v, dims);
  }

  private static NodeDef constant(String name, float[] values, long[] dims) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (long d : dims) shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
    TensorProto value = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape)
        .setTensorContent(ByteString.copyFrom(b.array())).build();
    return NodeDef.newBuilder().setName(name).setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(value).build()).build();
  }

  private static int foldBatchNorms(Map<String, NodeDef> nodes) {
    Map<String, Integer> uses = new HashMap<>();
    for (NodeDef n : nodes.values()) for (String in : n.getInputList()) uses.merge(in.startsWith("^") ? in : tensorName(in), 1, Integer::sum);
    int folded = 0;
    for (NodeDef bn : List.copyOf(nodes.values())) {
      if (!BATCH_NORMS.contains(bn.getOp())) continue;
      boolean training = !bn.containsAttr("is_training") || bn.getAttrOrThrow("is_training").getB(); // default: true
      if (training) continue;
      if (!"NHWC".equals(bn.getAttrOrDefault("data_format", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("NHWC")).build()).getS().toStringUtf8())) continue;
      boolean otherOutputsUsed = false;
      for (int k = 1; k < 6; k++) if (uses.containsKey(bn.getName() + ":" + k)) otherOutputsUsed = true;
      if (otherOutputsUsed) continue;
      NodeDef producer = nodes.get(nodeName(bn.getInput(0)));
      NodeDef bias = null;
      if (producer != null && producer.getOp().equals("BiasAdd") && uses.getOrDefault(tensorName(bn.getInput(0)), 0) == 1) {
        bias = producer;
        producer = nodes.get(nodeName(producer.getInput(0)));
      }
      if (producer == null || !producer.getOp().equals("Conv2D")
          || uses.getOrDefault(tensorName(bias != null ? bias.getInput(0) : bn.getInput(0)), 0) != 1
          || !"NHWC".equals(producer.getAttrOrDefault("data_format", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("NHWC")).build()).getS().toStringUtf8())) {
        continue;
      }
      ConstValue filter = resolve(nodes, producer.getInput(1));
      ConstValue gamma = resolve(nodes, bn.getInput(1));
      ConstValue beta = resolve(nodes, bn.getInput(2));
      ConstValue mean = resolve(nodes, bn.getInput(3));
      ConstValue var = resolve(nodes, bn.getInput(4));
      ConstValue b = bias == null ? null : resolve(nodes, bias.getInput(1));
      if (filter == null || gamma == null || beta == null || mean == null || var == null || (bias != null && b == null)) continue;
      int c = gamma.values.length;
      if (filter.dims.length != 4 || filter.dims[3] != c || beta.values.length != c || mean.values.length != c
          || var.values.length != c || (b != null && b.values.length != c)) {
        continue;
      }
      float eps = bn.getAttrOrDefault("epsilon", AttrValue.newBuilder().setF(1e-4f).build()).getF();
      float[] scale = new float[c];
      float[] shift = new float[c];
      for (int k = 0; k < c; k++) {
        scale[k] = (float) (gamma.values[k] / Math.sqrt((double) var.values[k] + eps));
        double pre = b == null ? 0 : b.values[k];
        shift[k] = (float) (beta.values[k] + (pre - mean.values[k]) * scale[k]);
      }
      float[] w = filter.values.clone();
      for (int i = 0; i < w.length; i++) w[i] *= scale[i % c];
      String filterName = bn.getName() + "/folded_filter";
      String shiftName = bn.getName() + "/folded_bias";
      nodes.put(filterName, constant(filterName, w, filter.dims));
      nodes.put(shiftName, constant(shiftName, shift, new long[] {c}));
      nodes.put(producer.getName(), producer.toBuilder().setInput(1, filterName).build());
      nodes.put(bn.getName(), NodeDef.newBuilder().setName(bn.getName()).setOp("BiasAdd").setDevice(bn.getDevice())
          .addInput(producer.getName()).addInput(shiftName)
          .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
          .putAttr("data_format", AttrValue.newBuilder().setS(ByteString.copyFromUtf8("NHWC")).build()).build());
      folded++;
    }
    return folded;
  }

  private record ConstValue(float[] values, long[] dims) {}

  /** The float constant a tensor is (through Identity nodes), or null. */
  private static ConstValue resolve(Map<String, NodeDef> nodes, String input) {
    NodeDef n = nodes.get(nodeName(input));
    while (n != null && n.getOp().equals("Identity")) n = nodes.get(nodeName(n.getInput(0)));
    if (n == null || !n.getOp().equals("Const")) return null;
    TensorProto t = n.getAttrOrThrow("value").getTensor();
    if (t.getDtype() != DataType.DT_FLOAT) return null;
    long[] dims = t.getTensorShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
    long size = 1;
    for (long d : dims) size *= d;
    float[] v = new float[(int) size];
    if (!t.getTensorContent().isEmpty()) {
      ByteBuffer.wrap(t.getTensorContent().toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
    } else if (t.getFloatValCount() == size) {
      for (int i = 0; i < size; i++) v[i] = t.getFloatVal(i);
    } else if (t.getFloatValCount() == 1) {
      java.util.Arrays.fill(v, t.getFloatVal(0));
    } else {
      return null;
    }
    return new ConstValue(v, dims);
  }

  /** "name:1" or "^name" -> "name". */
  public static String nodeName(String input) {
    String s = input.startsWith("^") ? input.substring(1) : input;
    int colon = s.lastIndexOf(':');
    return colon < 0 ? s : s.substring(0, colon);
  }

  /** "name" -> "name:0"; "name:k" unchanged. */
  private static String tensorName(String input) {
    return input.indexOf(':') < 0 ? input + ":0" : input;
  }
}
