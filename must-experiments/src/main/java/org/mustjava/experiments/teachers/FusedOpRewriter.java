package org.mustjava.experiments.teachers;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * Rewrites the fused ops of TF.js graph models into standard TensorFlow ops, so that the graph
 * runs on any TF runtime:
 *
 * <ul>
 *   <li>{@code FusedDepthwiseConv2dNative} exists only in TF.js (TF's own is the internal
 *       {@code _FusedDepthwiseConv2dNative});
 *   <li>{@code _FusedConv2D} and {@code _FusedMatMul} are TF-internal ops: TF 2.18 rejects the
 *       TF.js nodes at import (they lack the {@code TArgs} attr it requires), and its kernels lack
 *       some fusions TF.js emits (PReLU);
 *   <li>{@code Prelu} exists only in TF.js.
 * </ul>
 *
 * A fused node {@code N} with {@code fused_ops = [BiasAdd, Relu]} becomes {@code N/tfjs_unfused/conv}
 * (Conv2D, DepthwiseConv2dNative or MatMul) -> {@code N/tfjs_unfused/bias_add} (BiasAdd) -> {@code N}
 * (Relu): the last op keeps the node's name, so consumers are untouched. TF's Grappler re-fuses the
 * chain when the graph runs. Fusions handled: {@code BiasAdd} or {@code FusedBatchNorm} (inference
 * form, from {@code epsilon}), each optionally followed by {@code Relu}, {@code Relu6},
 * {@code Elu}, {@code LeakyRelu} ({@code leakyrelu_alpha}), {@code Sigmoid}, {@code Tanh} or
 * {@code Prelu} (its alpha is the last extra input). Anything else is an error naming the node.
 */
public final class FusedOpRewriter {
  private static final String SUFFIX = "/tfjs_unfused/";
  private static final Set<String> CONV_ATTRS = Set.of("T", "strides", "padding", "explicit_paddings", "data_format",
      "dilations", "use_cudnn_on_gpu");
  private static final Set<String> DEPTHWISE_ATTRS = Set.of("T", "strides", "padding", "explicit_paddings",
      "data_format", "dilations");
  private static final Set<String> MATMUL_ATTRS = Set.of("T", "transpose_a", "transpose_b");

  private FusedOpRewriter() {}

  /** The ops this class rewrites. */
  public static boolean isRewritten(String op) {
    return switch (op) {
      case "_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedDepthwiseConv2dNative", "_FusedMatMul", "Prelu" -> true;
      default -> false;
    };
  }

  /** Returns {@code graph} with every fused node replaced by its chain of standard ops. */
  public static GraphDef rewrite(GraphDef graph) {
    Set<String> names = new HashSet<>();
    for (NodeDef n : graph.getNodeList()) names.add(n.getName());
    GraphDef.Builder out = graph.toBuilder().clearNode();
    for (NodeDef n : graph.getNodeList()) {
      switch (n.getOp()) {
        case "_FusedConv2D" -> unfuse(n, "Conv2D", CONV_ATTRS, names, out);
        case "FusedDepthwiseConv2dNative", "_FusedDepthwiseConv2dNative" -> unfuse(n, "DepthwiseConv2dNative", DEPTHWISE_ATTRS, names, out);
        case "_FusedMatMul" -> unfuse(n, "MatMul", MATMUL_ATTRS, names, out);
        case "Prelu" -> {
          List<String> data = dataInputs(n);
          if (data.size() != 2) throw error(n, "Prelu takes 2 inputs (x, alpha), got " + data.size());
          // TF.js writes Prelu without a T attr: it is float32 only.
          AttrValue type = n.containsAttr("T") ? n.getAttrOrThrow("T") : AttrValue.newBuilder().setType(DataType.DT_FLOAT).build();
          NodeDef.Builder proto = NodeDef.newBuilder().setName(n.getName()).putAttr("T", type);
          controlInputs(n).forEach(proto::addInput);
          prelu(proto.build(), data.get(0), data.get(1), n.getName(), names, out);
        }
        default -> out.addNode(n);
      }
    }
    return out.build();
  }

  private static void unfuse(NodeDef n, String baseOp, Set<String> keep, Set<String> names, GraphDef.Builder out) {
    List<String> fused = new ArrayList<>();
    if (n.containsAttr("fused_ops")) {
      for (var s : n.getAttrOrThrow("fused_ops").getList().getSList()) fused.add(s.toStringUtf8());
    }
    List<String> data = dataInputs(n);
    int numArgs = n.containsAttr("num_args") ? (int) n.getAttrOrThrow("num_args").getI() : data.size() - 2;
    if (data.size() != 2 + numArgs) throw error(n, "expected 2 + num_args = " + (2 + numArgs) + " inputs, got " + data.size());
    List<String> args = data.subList(2, data.size());
    String first = fused.isEmpty() ? "" : fused.get(0);
    String activation = fused.size() > 1 ? fused.get(1) : null;
    if (fused.size() > 2 || !(first.equals("BiasAdd") || first.equals("FusedBatchNorm") || fused.isEmpty())) {
      throw error(n, "unsupported fused_ops " + fused + " (supported: BiasAdd or FusedBatchNorm, then one activation)");
    }
    int normArgs = switch (first) {
      case "BiasAdd" -> 1;
      case "FusedBatchNorm" -> 4;
      default -> 0;
    };
    int expectedArgs = normArgs + ("Prelu".equals(activation) ? 1 : 0);
    if (args.size() != expectedArgs) throw error(n, "fused_ops " + fused + " take " + expectedArgs + " extra inputs, got " + args.size());
    AttrValue type = attr(n, "T");

    String prefix = n.getName() + SUFFIX;
    boolean last = activation == null && normArgs == 0;
    NodeDef.Builder base = NodeDef.newBuilder().setName(last ? n.getName() : fresh(prefix + "conv", names)).setOp(baseOp)
        .addInput(data.get(0)).addInput(data.get(1));
    controlInputs(n).forEach(base::addInput);
    n.getAttrMap().forEach((k, v) -> {
      if (keep.contains(k)) base.putAttr(k, v);
    });
    out.addNode(base);
    String x = base.getName();

    if (normArgs > 0) {
      String name = activation == null ? n.getName() : fresh(prefix + (normArgs == 1 ? "bias_add" : "batch_norm"), names);
      NodeDef.Builder norm = NodeDef.newBuilder().setName(name).putAttr("T", type).addInput(x);
      if (normArgs == 1) {
        norm.setOp("BiasAdd");
        if (n.containsAttr("data_format")) norm.putAttr("data_format", n.getAttrOrThrow("data_format"));
        norm.addInput(args.get(0));
      } else {
        norm.setOp("FusedBatchNorm").putAttr("is_training", AttrValue.newBuilder().setB(false).build())
            .putAttr("epsilon", attr(n, "epsilon"));
        if (n.containsAttr("data_format")) norm.putAttr("data_format", n.getAttrOrThrow("data_format"));
        for (int i = 0; i < 4; i++) norm.addInput(args.get(i));
      }
      out.addNode(norm);
      x = name;
    }
    if (activation == null) return;
    switch (activation) {
      case "Relu", "Relu6", "Elu", "Sigmoid", "Tanh" ->
          out.addNode(NodeDef.newBuilder().setName(n.getName()).setOp(activation).addInput(x).putAttr("T", type));
      case "LeakyRelu" -> out.addNode(NodeDef.newBuilder().setName(n.getName()).setOp("LeakyRelu").addInput(x)
          .putAttr("T", type).putAttr("alpha", attr(n, "leakyrelu_alpha")));
      case "Prelu" -> prelu(NodeDef.newBuilder().setName(n.getName()).putAttr("T", type).build(), x,
          args.get(args.size() - 1), prefix, names, out);
      default -> throw error(n, "unsupported fused activation '" + activation + "'");
    }
  }

  /**
   * {@code prelu(x) = relu(x) + alpha * (x - relu(x))}; the final AddV2 is named as {@code node}
   * and carries its control inputs.
   */
  private static void prelu(NodeDef node, String x, String alpha, String prefix, Set<String> names, GraphDef.Builder out) {
    AttrValue type = node.getAttrOrThrow("T");
    String p = prefix.endsWith("/") ? prefix : prefix + SUFFIX;
    String relu = fresh(p + "prelu_positive", names);
    String negative = fresh(p + "prelu_negative", names);
    String scaled = fresh(p + "prelu_scaled", names);
    out.addNode(NodeDef.newBuilder().setName(relu).setOp("Relu").addInput(x).putAttr("T", type));
    out.addNode(NodeDef.newBuilder().setName(negative).setOp("Sub").addInput(x).addInput(relu).putAttr("T", type));
    out.addNode(NodeDef.newBuilder().setName(scaled).setOp("Mul").addInput(alpha).addInput(negative).putAttr("T", type));
    NodeDef.Builder sum = NodeDef.newBuilder().setName(node.getName()).setOp("AddV2").addInput(relu).addInput(scaled)
        .putAttr("T", type);
    node.getInputList().forEach(sum::addInput); // control inputs only
    out.addNode(sum);
  }

  private static List<String> dataInputs(NodeDef n) {
    return n.getInputList().stream().filter(s -> !s.startsWith("^")).toList();
  }

  private static List<String> controlInputs(NodeDef n) {
    return n.getInputList().stream().filter(s -> s.startsWith("^")).toList();
  }

  private static AttrValue attr(NodeDef n, String key) {
    Map<String, AttrValue> attrs = n.getAttrMap();
    if (!attrs.containsKey(key)) throw error(n, "has no attr '" + key + "'");
    return attrs.get(key);
  }

  private static String fresh(String name, Set<String> names) {
    if (!names.add(name)) throw new IllegalArgumentException("cannot unfuse: the graph already has a node named '" + name + "'");
    return name;
  }

  private static IllegalArgumentException error(NodeDef n, String message) {
    return new IllegalArgumentException("node '" + n.getName() + "' (" + n.getOp() + "): " + message);
  }
}
