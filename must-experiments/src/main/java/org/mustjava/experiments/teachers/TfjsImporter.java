package org.mustjava.experiments.teachers;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.mustjava.core.export.SavedModelExporter;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;

/**
 * Converts a TensorFlow.js graph model (model.json + weight shards) into a SavedModel with one
 * signature, {@value #SIGNATURE}:
 *
 * <ol>
 *   <li>the weights, dequantised, become the values of their Const nodes ({@link TfjsWeightReader});
 *   <li>TF.js fused ops become standard ops ({@link FusedOpRewriter}); device placements are dropped;
 *   <li>the GraphDef is imported into a TF Java graph; with a {@link DetectionLayout}, ops that
 *       unpack the packed detections are added;
 *   <li>the graph is exported (constants only, no variables) and, for a detector,
 *       {@code teacher.conf} ({@link TeacherConfSnippet}) is written into the same directory.
 * </ol>
 *
 * Signature names: inputs and outputs are those of model.json's {@code signature} (else the
 * Placeholders, and the nodes nothing consumes), keyed by the last component of the node name
 * ({@code tower_0/images} -> {@code images}) unless two would collide (then the full name with
 * {@code /} and {@code :} as {@code _}). With a detection layout the outputs are
 * {@link DetectionLayout#OUTPUTS} instead. The output directory is replaced atomically.
 */
public final class TfjsImporter {
  public static final String SIGNATURE = "serving_default";
  public static final String TEACHER_CONF = "teacher.conf";

  /**
   * @param modelJson the model.json
   * @param output the SavedModel directory to create (replaced if it exists)
   * @param layout how the detector packs its detections, or null for the raw outputs
   * @param detectionOutput the packed output's node name, or null to pick the only [B, N, 6] output
   * @param minScore the threshold that {@code num_detections} counts above
   * @param teacherName the configurable teacher.conf binds
   * @param inputMean teacher.conf's per-channel mean (0..255 pixel scale)
   * @param inputStd teacher.conf's per-channel std (0..255 pixel scale)
   * @param classOffset teacher.conf's class offset
   */
  public record Options(Path modelJson, Path output, DetectionLayout layout, String detectionOutput, float minScore,
      String teacherName, float[] inputMean, float[] inputStd, int classOffset) {}

  /** What was exported: signature keys -> "dtype shape" descriptions, and counts for the report. */
  public record Result(Path directory, Map<String, String> inputs, Map<String, String> outputs, int nodes,
      int weights, int rewrittenNodes, boolean teacherConf) {}

  private TfjsImporter() {}

  public static Result importModel(Options o) throws IOException {
    TfjsModelJson model = TfjsModelJson.read(o.modelJson());
    Map<String, TensorProto> weights = TfjsWeightReader.read(model);
    GraphDef withWeights = attachWeights(model, weights);
    int fused = 0;
    for (NodeDef n : withWeights.getNodeList()) if (FusedOpRewriter.isRewritten(n.getOp())) fused++;
    GraphDef graphDef = FusedOpRewriter.rewrite(withWeights);

    Path target = o.output().toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    try (Graph g = new Graph()) {
      try {
        g.importGraphDef(graphDef);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new IOException(o.modelJson() + ": TensorFlow cannot import the graph: " + e.getMessage(), e);
      }
      List<String> inputNames = !model.signatureInputs().isEmpty() ? List.copyOf(model.signatureInputs().values())
          : placeholders(graphDef);
      List<String> outputNames = !model.signatureOutputs().isEmpty() ? List.copyOf(model.signatureOutputs().values())
          : sinks(graphDef);
      if (inputNames.isEmpty()) throw new IOException(o.modelJson() + ": the graph has no inputs (no Placeholder)");
      Map<String, Output<?>> inputs = resolve(g, shortKeys(inputNames), o.modelJson());
      Map<String, Output<?>> rawOutputs = resolve(g, shortKeys(outputNames), o.modelJson());

      Map<String, Operand<?>> outputs = new LinkedHashMap<>();
      TeacherConfSnippet conf = null;
      if (o.layout() == null) {
        outputs.putAll(rawOutputs);
      } else {
        conf = addDetectionOutputs(g, o, inputs, rawOutputs, outputs, target);
      }
      Signature.Builder sig = Signature.builder().key(SIGNATURE);
      inputs.forEach(sig::input);
      outputs.forEach(sig::output);
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(tmp.toString()).withTags(SavedModelBundle.DEFAULT_TAG).withSession(s)
            .withSignature(sig.build()).export();
      }
      if (conf != null) {
        Files.writeString(tmp.resolve(TEACHER_CONF), conf.render(o.teacherName(), o.modelJson().toAbsolutePath().toString()),
            StandardCharsets.UTF_8);
      }
      SavedModelExporter.replaceDirectory(tmp, target);
      return new Result(target, describe(inputs), describe(outputs), graphDef.getNodeCount(), weights.size(), fused,
          conf != null);
    } finally {
      SavedModelExporter.deleteRecursively(tmp);
    }
  }

  /** Unpacks the packed detections into {@code outputs}; returns the teacher config for them. */
  private static TeacherConfSnippet addDetectionOutputs(Graph g, Options o, Map<String, Output<?>> inputs,
      Map<String, Output<?>> rawOutputs, Map<String, Operand<?>> outputs, Path target) throws IOException {
    if (inputs.size() != 1) throw new IOException(o.modelJson() + ": a detector needs exactly one input, got " + inputs.keySet());
    var input = inputs.entrySet().iterator().next();
    Shape in = input.getValue().shape();
    if (in.numDimensions() != 4 || in.get(1) <= 0 || in.get(1) != in.get(2) || input.getValue().dataType() != DataType.DT_FLOAT) {
      throw new IOException(o.modelJson() + ": input '" + input.getKey() + "' is " + input.getValue().dataType() + " " + in
          + "; a detector teacher needs a float32 [B, S, S, C] image input with a static, square S");
    }
    @SuppressWarnings("unchecked")
    Operand<TFloat32> packed = (Operand<TFloat32>) packedOutput(g, rawOutputs, o.detectionOutput(), o.modelJson());
    outputs.putAll(o.layout().unpack(Ops.create(g).withSubScope("detection_postprocess"), packed, in.get(1), in.get(2),
        o.minScore()));
    return new TeacherConfSnippet("detection", target, SIGNATURE, input.getKey(), (int) in.get(1), o.inputMean(),
        o.inputStd(), DetectionLayout.OUTPUTS, "yxyx_normalized", o.classOffset());
  }

  /**
   * The topology with each weight as its Const node's value (widened to the node's float64 or
   * int64 type where TF.js stored it narrower). A weight without a node becomes a new Const node; a Const node of the topology without values and without a weight is an error.
   */
  static GraphDef attachWeights(TfjsModelJson model, Map<String, TensorProto> weights) throws IOException {
    GraphDef.Builder out = model.topology().toBuilder().clearNode();
    Set<String> used = new HashSet<>();
    for (NodeDef n : model.topology().getNodeList()) {
      NodeDef.Builder b = n.toBuilder().clearDevice();
      TensorProto w = weights.get(n.getName());
      if (w != null) {
        if (!n.getOp().equals("Const")) {
          throw new IOException(model.file() + ": weight '" + n.getName() + "' names a " + n.getOp() + " node, not a Const");
        }
        if (n.containsAttr("dtype") && n.getAttrOrThrow("dtype").getType() != w.getDtype()) {
          w = widen(w, n.getAttrOrThrow("dtype").getType(), n.getName(), model.file());
        }
        b.putAttr("value", AttrValue.newBuilder().setTensor(w).build())
            .putAttr("dtype", AttrValue.newBuilder().setType(w.getDtype()).build());
        used.add(n.getName());
      } else if (n.getOp().equals("Const") && isEmptyTensor(n)) {
        throw new IOException(model.file() + ": Const node '" + n.getName()
            + "' has no value in modelTopology and no weight in the weightsManifest");
      }
      out.addNode(b);
    }
    for (Map.Entry<String, TensorProto> e : weights.entrySet()) {
      if (used.contains(e.getKey())) continue;
      out.addNode(NodeDef.newBuilder().setName(e.getKey()).setOp("Const")
          .putAttr("value", AttrValue.newBuilder().setTensor(e.getValue()).build())
          .putAttr("dtype", AttrValue.newBuilder().setType(e.getValue().getDtype()).build()));
    }
    return out.build();
  }

  /**
   * TF.js has no float64 or int64: its converter stores such constants as float32 or int32 while
   * the Const node (and its consumers) keep the 64-bit type. Widen them back.
   */
  static TensorProto widen(TensorProto w, DataType to, String name, Path file) throws IOException {
    ByteBuffer in = w.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    int n = in.remaining() / 4;
    ByteBuffer out = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
    if (w.getDtype() == DataType.DT_FLOAT && to == DataType.DT_DOUBLE) {
      for (int i = 0; i < n; i++) out.putDouble(in.getFloat());
    } else if (w.getDtype() == DataType.DT_INT32 && to == DataType.DT_INT64) {
      for (int i = 0; i < n; i++) out.putLong(in.getInt());
    } else {
      throw new IOException(file + ": weight '" + name + "' is " + w.getDtype() + " but its Const node is " + to);
    }
    return w.toBuilder().setDtype(to).setTensorContent(ByteString.copyFrom(out.flip())).build();
  }

  private static boolean isEmptyTensor(NodeDef n) {
    if (!n.containsAttr("value")) return true;
    TensorProto t = n.getAttrOrThrow("value").getTensor();
    long elements = 1;
    for (var d : t.getTensorShape().getDimList()) elements *= d.getSize();
    boolean hasValues = !t.getTensorContent().isEmpty() || t.getFloatValCount() > 0 || t.getIntValCount() > 0
        || t.getBoolValCount() > 0 || t.getStringValCount() > 0 || t.getInt64ValCount() > 0 || t.getDoubleValCount() > 0
        || t.getHalfValCount() > 0;
    return elements > 0 && !hasValues && t.getDtype() != DataType.DT_INVALID;
  }

  private static List<String> placeholders(GraphDef g) {
    List<String> l = new ArrayList<>();
    for (NodeDef n : g.getNodeList()) if (n.getOp().equals("Placeholder")) l.add(n.getName());
    return l;
  }

  /** Nodes no other node consumes (the graph's natural outputs), except constants and no-ops. */
  private static List<String> sinks(GraphDef g) {
    Set<String> consumed = new HashSet<>();
    for (NodeDef n : g.getNodeList()) {
      for (String in : n.getInputList()) {
        String s = in.startsWith("^") ? in.substring(1) : in;
        int colon = s.indexOf(':');
        consumed.add(colon >= 0 ? s.substring(0, colon) : s);
      }
    }
    List<String> l = new ArrayList<>();
    for (NodeDef n : g.getNodeList()) {
      if (!consumed.contains(n.getName()) && !Set.of("Const", "Placeholder", "NoOp").contains(n.getOp())) l.add(n.getName());
    }
    return l;
  }

  /** Tensor name -> signature key: its last name component, or the whole name if those collide. */
  static Map<String, String> shortKeys(Iterable<String> names) {
    Map<String, Integer> counts = new HashMap<>();
    for (String n : names) counts.merge(lastComponent(n), 1, Integer::sum);
    Map<String, String> keys = new LinkedHashMap<>();
    for (String n : names) {
      String k = counts.get(lastComponent(n)) == 1 ? lastComponent(n) : n.replace('/', '_').replace(':', '_');
      keys.put(k, n);
    }
    return keys;
  }

  private static String lastComponent(String name) {
    return name.substring(name.lastIndexOf('/') + 1).replace(':', '_');
  }

  private static Map<String, Output<?>> resolve(Graph g, Map<String, String> keyToName, Path file) throws IOException {
    Map<String, Output<?>> m = new LinkedHashMap<>();
    for (var e : keyToName.entrySet()) {
      Output<?> out = g.output(e.getValue());
      if (out == null) throw new IOException(file + ": the signature names tensor '" + e.getValue() + "', which is not in the graph");
      m.put(e.getKey(), out);
    }
    return m;
  }

  private static Output<?> packedOutput(Graph g, Map<String, Output<?>> outputs, String name, Path file) throws IOException {
    if (name != null) {
      Output<?> o = g.output(name);
      if (o == null) throw new IOException(file + ": --detection_output '" + name + "' is not a tensor of the graph; outputs: " + names(outputs));
      if (o.dataType() != DataType.DT_FLOAT) throw new IOException(file + ": '" + name + "' is " + o.dataType() + ", not float32");
      return o;
    }
    List<Output<?>> candidates = new ArrayList<>();
    for (Output<?> o : outputs.values()) {
      Shape s = o.shape();
      if (s.numDimensions() == 3 && s.get(2) == 6 && o.dataType() == DataType.DT_FLOAT) candidates.add(o);
    }
    if (candidates.size() != 1) {
      throw new IOException(file + ": cannot tell which output holds the packed detections (" + candidates.size()
          + " float32 [B, N, 6] outputs among " + names(outputs) + "); name it with --detection_output");
    }
    return candidates.get(0);
  }

  private static String names(Map<String, Output<?>> outputs) {
    List<String> l = new ArrayList<>();
    for (Output<?> o : outputs.values()) l.add(o.op().name() + " " + o.shape());
    return l.toString();
  }

  private static Map<String, String> describe(Map<String, ? extends Operand<?>> m) {
    Map<String, String> d = new LinkedHashMap<>();
    m.forEach((k, v) -> d.put(k, v.asOutput().dataType().name().substring(3).toLowerCase(Locale.ROOT) + " " + v.shape()));
    return d;
  }
}
