package org.mustjava.experiments.teachers;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.GraphDef;

/**
 * A TensorFlow.js graph model's {@code model.json}: the graph ({@code modelTopology}, a GraphDef in
 * protobuf's JSON mapping whose Const nodes carry no values), the weight manifest (which shard
 * files hold which constants) and the optional signature (input and output tensor names).
 *
 * <p>Layers models (Keras topology, {@code "format": "layers-model"}) and graph models with a
 * {@code modelInitializer} (hash-table initialisation) are rejected with an error saying so.
 */
public final class TfjsModelJson {
  /** One {@code weightsManifest} entry: shard files read back to back, and the weights in them. */
  public record WeightGroup(List<Path> paths, List<TfjsWeightSpec> weights) {}

  private final Path file;
  private final GraphDef topology;
  private final List<WeightGroup> groups;
  private final Map<String, String> signatureInputs;
  private final Map<String, String> signatureOutputs;

  private TfjsModelJson(Path file, GraphDef topology, List<WeightGroup> groups, Map<String, String> inputs,
      Map<String, String> outputs) {
    this.file = file;
    this.topology = topology;
    this.groups = groups;
    this.signatureInputs = inputs;
    this.signatureOutputs = outputs;
  }

  /** Parses {@code file}; shard paths are resolved against its directory (they are not read here). */
  public static TfjsModelJson read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IOException(file + ": no such file");
    }
    JsonObject root;
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) throw new IOException(file + ": expected a JSON object at the top level");
      root = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    String format = root.has("format") ? root.get("format").getAsString() : "graph-model";
    if (!format.equals("graph-model")) {
      throw new IOException(file + ": format '" + format + "' is not a TF.js graph model (only 'graph-model' is supported)");
    }
    if (root.has("modelInitializer")) {
      throw new IOException(file + ": 'modelInitializer' (hash-table initialisation) is not supported");
    }
    JsonObject topologyJson = object(root, "modelTopology", file);
    if (topologyJson.has("class_name") || topologyJson.has("model_config")) {
      throw new IOException(file + ": modelTopology is a Keras (layers) model, not a GraphDef");
    }
    GraphDef.Builder graph = GraphDef.newBuilder();
    try {
      JsonFormat.parser().merge(topologyJson.toString(), graph);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException(file + ": modelTopology is not a GraphDef in protobuf JSON form: " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    List<WeightGroup> groups = new ArrayList<>();
    JsonArray manifest = root.has("weightsManifest") ? root.getAsJsonArray("weightsManifest") : new JsonArray();
    for (int g = 0; g < manifest.size(); g++) {
      String where = "weightsManifest[" + g + "]";
      JsonObject group = manifest.get(g).getAsJsonObject();
      List<Path> paths = new ArrayList<>();
      for (JsonElement p : array(group, "paths", file, where)) paths.add(dir.resolve(p.getAsString()));
      List<TfjsWeightSpec> weights = new ArrayList<>();
      JsonArray ws = array(group, "weights", file, where);
      for (int i = 0; i < ws.size(); i++) weights.add(weightSpec(ws.get(i).getAsJsonObject(), file, where + ".weights[" + i + "]"));
      groups.add(new WeightGroup(List.copyOf(paths), List.copyOf(weights)));
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    if (root.has("signature")) {
      JsonObject sig = root.getAsJsonObject("signature");
      signatureNames(sig, "inputs", inputs);
      signatureNames(sig, "outputs", outputs);
    }
    return new TfjsModelJson(file, graph.build(), List.copyOf(groups), inputs, outputs);
  }

  private static TfjsWeightSpec weightSpec(JsonObject w, Path file, String where) throws IOException {
    for (String key : new String[] {"name", "shape", "dtype"}) {
      if (!w.has(key)) throw new IOException(file + ": " + where + " has no '" + key + "'");
    }
    String name = w.get("name").getAsString();
    JsonArray shapeJson = w.getAsJsonArray("shape");
    long[] shape = new long[shapeJson.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = shapeJson.get(i).getAsLong();
      if (shape[i] < 0) throw new IOException(file + ": weight '" + name + "' has a negative dimension in shape " + shapeJson);
    }
    String dtype = w.get("dtype").getAsString();
    TfjsWeightSpec.Quantization q = null;
    if (w.has("quantization") && !w.get("quantization").isJsonNull()) {
      JsonObject qj = w.getAsJsonObject("quantization");
      String qd = qj.has("dtype") ? qj.get("dtype").getAsString() : "";
      if (!qd.equals("uint8") && !qd.equals("uint16") && !qd.equals("float16")) {
        throw new IOException(file + ": weight '" + name + "' has unknown quantization dtype '" + qd
            + "' (known: uint8, uint16, float16)");
      }
      if (!qd.equals("float16") && !(qj.has("scale") && qj.has("min"))) {
        throw new IOException(file + ": weight '" + name + "' is " + qd + "-quantized but has no 'scale' and 'min'");
      }
      double scale = qj.has("scale") ? qj.get("scale").getAsDouble() : 1;
      double min = qj.has("min") ? qj.get("min").getAsDouble() : 0;
      q = new TfjsWeightSpec.Quantization(qd, scale, min);
    }
    TfjsWeightSpec spec = new TfjsWeightSpec(name, shape, dtype, q);
    try {
      TfjsWeightSpec.bytesPerElement(dtype);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": weight '" + name + "': " + e.getMessage());
    }
    return spec;
  }

  private static void signatureNames(JsonObject sig, String key, Map<String, String> out) {
    if (!sig.has(key)) return;
    for (Map.Entry<String, JsonElement> e : sig.getAsJsonObject(key).entrySet()) {
      JsonObject t = e.getValue().getAsJsonObject();
      String name = t.has("name") ? t.get("name").getAsString() : e.getKey();
      out.put(e.getKey(), name.endsWith(":0") ? name.substring(0, name.length() - 2) : name);
    }
  }

  private static JsonObject object(JsonObject o, String key, Path file) throws IOException {
    if (!o.has(key) || !o.get(key).isJsonObject()) throw new IOException(file + ": no '" + key + "' object");
    return o.getAsJsonObject(key);
  }

  private static JsonArray array(JsonObject o, String key, Path file, String where) throws IOException {
    if (!o.has(key) || !o.get(key).isJsonArray()) throw new IOException(file + ": " + where + " has no '" + key + "' list");
    return o.getAsJsonArray(key);
  }

  public Path file() {
    return file;
  }

  /** The graph as in the file: Const nodes of weights have a dtype and shape but no values. */
  public GraphDef topology() {
    return topology;
  }

  public List<WeightGroup> weightGroups() {
    return groups;
  }

  /** Signature input key -> node name (without {@code :0}); empty when the file has no signature. */
  public Map<String, String> signatureInputs() {
    return signatureInputs;
  }

  /** Signature output key -> node name (without {@code :0}); empty when the file has no signature. */
  public Map<String, String> signatureOutputs() {
    return signatureOutputs;
  }
}
