package org.mustjava.experiments.teachers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.export.FrozenTeacher;
import org.mustjava.experiments.pseudolabel.SavedModelTeacher;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The TF.js importer on tiny hand-written graph models: model.json -> GraphDef, weight
 * dequantisation (uint8, uint16, float16), the rewrite of TF.js fused ops (checked by running the
 * exported SavedModel against values computed by hand), the detection unpacking, teacher.conf,
 * error messages and the command line.
 */
class TfjsImporterTest {
  @TempDir Path dir;

  /** float16 bit patterns of the values used below. */
  private static final short HALF_0_5 = 0x3800;
  private static final short HALF_0_1 = 0x2e66; // 0.0999755859375
  private static final short HALF_0_25 = 0x3400;
  private static final short HALF_MINUS_2 = (short) 0xc000;

  /**
   * {@code y = Mul(x, w)}, x a [2] placeholder, w a uint8-quantised [2] weight:
   * q = [0, 6], scale 0.5, min -1 -> w = [-1, 2].
   */
  private Path twoNodeModel(String weightDtype, String quantization, String shape) throws IOException {
    String json = """
        {"format": "graph-model", "generatedBy": "test", "convertedBy": "hand",
         "modelTopology": {"node": [
           {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
             "shape": {"shape": {"dim": [{"size": "2"}]}}}},
           {"name": "w", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"},
             "value": {"tensor": {"dtype": "DT_FLOAT", "tensorShape": {"dim": [{"size": "2"}]}}}}},
           {"name": "y", "op": "Mul", "input": ["x", "w"], "attr": {"T": {"type": "DT_FLOAT"}}}
         ], "versions": {"producer": 1}},
         "weightsManifest": [{"paths": ["group1-shard1of1.bin"], "weights": [
           {"name": "w", "shape": [SHAPE], "dtype": "DTYPE", "quantization": QUANT}]}]}
        """.replace("SHAPE", shape).replace("DTYPE", weightDtype)
        .replace("QUANT", quantization);
    Path model = dir.resolve("model.json");
    Files.writeString(model, json);
    Files.write(dir.resolve("group1-shard1of1.bin"), new byte[] {0, 6});
    return model;
  }

  private static final String UINT8 = "{\"dtype\": \"uint8\", \"scale\": 0.5, \"min\": -1.0, \"original_dtype\": \"float32\"}";

  @Test
  void modelJsonBecomesAGraphDefWithDequantisedWeights() throws IOException {
    Path model = twoNodeModel("float32", UINT8, "2");
    TfjsModelJson parsed = TfjsModelJson.read(model);
    GraphDef topology = parsed.topology();
    assertEquals(List.of("x", "w", "y"), topology.getNodeList().stream().map(NodeDef::getName).toList());
    assertEquals(List.of("x", "w"), topology.getNode(2).getInputList());
    assertEquals(DataType.DT_FLOAT, topology.getNode(2).getAttrOrThrow("T").getType());
    assertEquals(2, topology.getNode(0).getAttrOrThrow("shape").getShape().getDim(0).getSize());
    assertEquals(1, topology.getVersions().getProducer());

    Map<String, TensorProto> weights = TfjsWeightReader.read(parsed);
    GraphDef graph = TfjsImporter.attachWeights(parsed, weights);
    TensorProto w = graph.getNode(1).getAttrOrThrow("value").getTensor();
    assertEquals(DataType.DT_FLOAT, w.getDtype());
    assertEquals(2, w.getTensorShape().getDim(0).getSize());
    ByteBuffer values = w.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(-1f, values.getFloat(0));
    assertEquals(2f, values.getFloat(4));

    // And the exported SavedModel computes x * w.
    Path out = dir.resolve("saved");
    var result = TfjsImporter.importModel(options(model, out, null));
    assertEquals(Map.of("x", "float [2]"), result.inputs());
    assertEquals(Map.of("y", "float [2]"), result.outputs());
    assertFalse(result.teacherConf());
    assertFalse(Files.exists(out.resolve(TfjsImporter.TEACHER_CONF)));
    try (FrozenTeacher t = FrozenTeacher.load(out, TfjsImporter.SIGNATURE);
        TFloat32 x = TFloat32.vectorOf(3f, 4f);
        Result r = t.run(Map.<String, Tensor>of("x", x))) {
      TFloat32 y = (TFloat32) r.get("y").orElseThrow();
      assertEquals(-3f, y.getFloat(0));
      assertEquals(8f, y.getFloat(1));
    }
  }

  @Test
  void dequantisesUint16Float16AndInt32() {
    ByteBuffer u16 = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0).putShort((short) 65535).flip();
    TensorProto f = TfjsWeightReader.tensor(new TfjsWeightSpec("a", new long[] {2}, "float32",
        new TfjsWeightSpec.Quantization("uint16", 0.001, -10)), u16);
    ByteBuffer fv = f.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(-10f, fv.getFloat(0));
    assertEquals((float) (65535 * 0.001 - 10), fv.getFloat(4));

    ByteBuffer u8 = ByteBuffer.wrap(new byte[] {(byte) 200, 3});
    TensorProto i = TfjsWeightReader.tensor(new TfjsWeightSpec("b", new long[] {1, 2}, "int32",
        new TfjsWeightSpec.Quantization("uint8", 0.5, 1)), u8);
    ByteBuffer iv = i.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(DataType.DT_INT32, i.getDtype());
    assertEquals(101, iv.getInt(0)); // 200 * 0.5 + 1
    assertEquals(3, iv.getInt(4)); // round(2.5) = 3 (half up, as Math.round in TF.js)

    ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putShort(HALF_0_5).putShort(HALF_MINUS_2)
        .putShort((short) 0x0001).putShort((short) 0x7c00).putShort((short) 0x8000).putShort((short) 0x3c01).flip();
    TensorProto half = TfjsWeightReader.tensor(new TfjsWeightSpec("c", new long[] {6}, "float32",
        new TfjsWeightSpec.Quantization("float16", 1, 0)), h);
    ByteBuffer hv = half.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(0.5f, hv.getFloat(0));
    assertEquals(-2f, hv.getFloat(4));
    assertEquals(0x1p-24f, hv.getFloat(8)); // the smallest subnormal
    assertEquals(Float.POSITIVE_INFINITY, hv.getFloat(12));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(hv.getFloat(16)));
    assertEquals(1f + 0x1p-10f, hv.getFloat(20));
  }

  @Test
  void weightsStoredNarrowerThanTheirConstNodeAreWidened() throws IOException {
    // TF.js stores float64 and int64 constants as float32 and int32.
    ByteBuffer f = le(8).putFloat(0.5f).putFloat(-3f).flip();
    TensorProto w = TfjsWeightReader.tensor(new TfjsWeightSpec("d", new long[] {2}, "float32", null), f);
    TensorProto d = TfjsImporter.widen(w, DataType.DT_DOUBLE, "d", Path.of("m.json"));
    ByteBuffer dv = d.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(DataType.DT_DOUBLE, d.getDtype());
    assertEquals(0.5, dv.getDouble(0));
    assertEquals(-3.0, dv.getDouble(8));
    ByteBuffer i = le(4).putInt(-7).flip();
    TensorProto l = TfjsImporter.widen(TfjsWeightReader.tensor(new TfjsWeightSpec("l", new long[] {1}, "int32", null), i),
        DataType.DT_INT64, "l", Path.of("m.json"));
    assertEquals(-7L, l.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong(0));
    IOException e = assertThrows(IOException.class, () -> TfjsImporter.widen(w, DataType.DT_INT32, "d", Path.of("m.json")));
    assertEquals("m.json: weight 'd' is DT_FLOAT but its Const node is DT_INT32", e.getMessage());
  }

  @Test
  void missingShardNamesTheFile() throws IOException {
    Path model = twoNodeModel("float32", UINT8, "2");
    Files.delete(dir.resolve("group1-shard1of1.bin"));
    IOException e = assertThrows(IOException.class, () -> TfjsWeightReader.read(TfjsModelJson.read(model)));
    assertTrue(e.getMessage().contains(dir.resolve("group1-shard1of1.bin").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void sizeMismatchNamesTheShardAndTheWeight() throws IOException {
    // Shape [2, 2] needs 4 bytes of uint8; the shard has 2.
    Path model = twoNodeModel("float32", UINT8, "2, 2");
    IOException e = assertThrows(IOException.class, () -> TfjsWeightReader.read(TfjsModelJson.read(model)));
    assertTrue(e.getMessage().contains("group1-shard1of1.bin"), e.getMessage());
    assertTrue(e.getMessage().contains("weight 'w'"), e.getMessage());
    assertTrue(e.getMessage().contains("needs 4 bytes"), e.getMessage());

    // Bytes left over: one uint8 element in a 2-byte shard.
    Files.writeString(model, Files.readString(model).replace("\"shape\": [2, 2]", "\"shape\": [1]"));
    e = assertThrows(IOException.class, () -> TfjsWeightReader.read(TfjsModelJson.read(model)));
    assertTrue(e.getMessage().contains("1 bytes left over after the last weight 'w'"), e.getMessage());
  }

  @Test
  void unknownDtypesNameTheFileAndTheWeight() throws IOException {
    Path model = twoNodeModel("complex64", "null", "2");
    IOException e = assertThrows(IOException.class, () -> TfjsModelJson.read(model));
    assertTrue(e.getMessage().startsWith(model.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("weight 'w'") && e.getMessage().contains("complex64"), e.getMessage());

    Path model2 = twoNodeModel("float32", "{\"dtype\": \"int4\", \"scale\": 1, \"min\": 0}", "2");
    e = assertThrows(IOException.class, () -> TfjsModelJson.read(model2));
    assertTrue(e.getMessage().contains("weight 'w' has unknown quantization dtype 'int4'"), e.getMessage());
  }

  @Test
  void constWithoutWeightIsAnError() throws IOException {
    Path model = twoNodeModel("float32", UINT8, "2");
    Files.writeString(model, Files.readString(model).replace("{\"name\": \"w\", \"shape\"", "{\"name\": \"v\", \"shape\""));
    TfjsModelJson parsed = TfjsModelJson.read(model);
    IOException e = assertThrows(IOException.class, () -> TfjsImporter.attachWeights(parsed, TfjsWeightReader.read(parsed)));
    assertTrue(e.getMessage().contains("Const node 'w' has no value"), e.getMessage());
  }

  /**
   * x [1, 1, 1, 2] -> _FusedConv2D (BiasAdd, Relu) -> FusedDepthwiseConv2dNative (BiasAdd, Relu6)
   * -> Reshape [1, 2] -> _FusedMatMul (BiasAdd, Prelu) -> y, and Prelu(x) as a second output (as
   * TF.js writes it: without a T attr).
   */
  @Test
  void fusedOpsAreRewrittenAndComputeTheSameValues() throws IOException {
    String json = """
        {"format": "graph-model",
         "modelTopology": {"node": [
           {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
             "shape": {"shape": {"dim": [{"size": "1"}, {"size": "1"}, {"size": "1"}, {"size": "2"}]}}}},
           {"name": "wc", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "bc", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "wd", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "bd", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "shape", "op": "Const", "attr": {"dtype": {"type": "DT_INT32"}, "value": {"tensor": {"dtype": "DT_INT32"}}}},
           {"name": "wm", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "bm", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "alpha", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "block/conv", "op": "_FusedConv2D", "input": ["x", "wc", "bc"], "device": "/device:CPU:0", "attr": {
             "T": {"type": "DT_FLOAT"}, "strides": {"list": {"i": ["1", "1", "1", "1"]}}, "padding": {"s": "U0FNRQ=="},
             "data_format": {"s": "TkhXQw=="}, "dilations": {"list": {"i": ["1", "1", "1", "1"]}},
             "explicit_paddings": {"list": {}}, "use_cudnn_on_gpu": {"b": true}, "num_args": {"i": "1"},
             "epsilon": {"f": 0}, "fused_ops": {"list": {"s": ["Qmlhc0FkZA==", "UmVsdQ=="]}}}},
           {"name": "block/dw", "op": "FusedDepthwiseConv2dNative", "input": ["block/conv", "wd", "bd"], "attr": {
             "T": {"type": "DT_FLOAT"}, "strides": {"list": {"i": ["1", "1", "1", "1"]}}, "padding": {"s": "VkFMSUQ="},
             "data_format": {"s": "TkhXQw=="}, "dilations": {"list": {"i": ["1", "1", "1", "1"]}},
             "explicit_paddings": {"list": {}}, "num_args": {"i": "1"},
             "fused_ops": {"list": {"s": ["Qmlhc0FkZA==", "UmVsdTY="]}}}},
           {"name": "flat", "op": "Reshape", "input": ["block/dw", "shape"], "attr": {"T": {"type": "DT_FLOAT"},
             "Tshape": {"type": "DT_INT32"}}},
           {"name": "y", "op": "_FusedMatMul", "input": ["flat", "wm", "bm", "alpha"], "attr": {
             "T": {"type": "DT_FLOAT"}, "transpose_a": {"b": false}, "transpose_b": {"b": false}, "num_args": {"i": "2"},
             "epsilon": {"f": 0}, "fused_ops": {"list": {"s": ["Qmlhc0FkZA==", "UHJlbHU="]}}}},
           {"name": "z", "op": "Prelu", "input": ["flat", "alpha"]}
         ]},
         "weightsManifest": [
           {"paths": ["a.bin"], "weights": [
             {"name": "wc", "shape": [1, 1, 2, 2], "dtype": "float32",
              "quantization": {"dtype": "uint8", "scale": 1.0, "min": -1.0}},
             {"name": "bc", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}},
             {"name": "wd", "shape": [1, 1, 2, 1], "dtype": "float32"}]},
           {"paths": ["b1.bin", "b2.bin"], "weights": [
             {"name": "bd", "shape": [2], "dtype": "float32",
              "quantization": {"dtype": "uint16", "scale": 0.5, "min": 0.0}},
             {"name": "shape", "shape": [2], "dtype": "int32"},
             {"name": "wm", "shape": [2, 2], "dtype": "float32"},
             {"name": "bm", "shape": [2], "dtype": "float32"},
             {"name": "alpha", "shape": [2], "dtype": "float32", "quantization": {"dtype": "float16"}}]}],
         "signature": {"inputs": {"x:0": {"name": "x:0"}}, "outputs": {"y:0": {"name": "y:0"}, "z:0": {"name": "z:0"}}}}
        """;
    Path model = dir.resolve("model.json");
    Files.writeString(model, json);
    // wc = [[1, 0], [0, -1]] as uint8 with min -1: q = [2, 1, 1, 0]; bc = [0.5, 0.5] as float16.
    ByteBuffer a = le(16).put(new byte[] {2, 1, 1, 0}).putShort(HALF_0_5).putShort(HALF_0_5).putFloat(4f).putFloat(1f);
    Files.write(dir.resolve("a.bin"), a.array());
    // bd = [1, 1] as uint16 (q = 2, scale 0.5); shape = [1, 2]; wm = [[1, 0], [0, -1]]; bm = [0, -1];
    // alpha = [0.1, 0.25] as float16. The group is split across two shard files mid-weight.
    ByteBuffer b = le(4 + 8 + 16 + 8 + 4).putShort((short) 2).putShort((short) 2).putInt(1).putInt(2)
        .putFloat(1f).putFloat(0f).putFloat(0f).putFloat(-1f).putFloat(0f).putFloat(-1f).putShort(HALF_0_1).putShort(HALF_0_25);
    Files.write(dir.resolve("b1.bin"), java.util.Arrays.copyOfRange(b.array(), 0, 10));
    Files.write(dir.resolve("b2.bin"), java.util.Arrays.copyOfRange(b.array(), 10, b.capacity()));

    GraphDef rewritten = FusedOpRewriter.rewrite(TfjsImporter.attachWeights(TfjsModelJson.read(model),
        TfjsWeightReader.read(TfjsModelJson.read(model))));
    List<String> ops = rewritten.getNodeList().stream().map(NodeDef::getOp).toList();
    for (String fused : List.of("_FusedConv2D", "FusedDepthwiseConv2dNative", "_FusedMatMul", "Prelu")) {
      assertFalse(ops.contains(fused), fused + " left in " + ops);
    }
    NodeDef conv = rewritten.getNodeList().stream().filter(n -> n.getName().equals("block/conv")).findFirst().orElseThrow();
    assertEquals("Relu", conv.getOp()); // the chain's last op keeps the fused node's name
    assertTrue(rewritten.getNodeList().stream().allMatch(n -> n.getDevice().isEmpty()), "device placements dropped");

    Path out = dir.resolve("saved");
    var result = TfjsImporter.importModel(options(model, out, null));
    assertEquals(4, result.rewrittenNodes());
    assertEquals(List.of("y", "z"), List.copyOf(result.outputs().keySet()));
    try (FrozenTeacher t = FrozenTeacher.load(out, TfjsImporter.SIGNATURE);
        TFloat32 x = TFloat32.tensorOf(Shape.of(1, 1, 1, 2), v -> v.setFloat(1f, 0, 0, 0, 0).setFloat(2f, 0, 0, 0, 1));
        Result r = t.run(Map.<String, Tensor>of("x", x))) {
      // conv: [1, -2] + 0.5 -> relu [1.5, 0]; depthwise: [6, 0] + 1 -> relu6 [6, 1];
      // matmul: [6, -1] + [0, -1] = [6, -2] -> prelu [6, -2 * 0.25].
      TFloat32 y = (TFloat32) r.get("y").orElseThrow();
      assertEquals(6f, y.getFloat(0, 0), 1e-6);
      assertEquals(-0.5f, y.getFloat(0, 1), 1e-6);
      TFloat32 z = (TFloat32) r.get("z").orElseThrow(); // prelu([6, 1]) = [6, 1]
      assertEquals(6f, z.getFloat(0, 0), 1e-6);
      assertEquals(1f, z.getFloat(0, 1), 1e-6);
    }
  }

  /** A detector whose packed output is a constant: checks the unpacking and teacher.conf. */
  @Test
  void detectionLayoutUnpacksAndWritesTheTeacherConfig() throws Exception {
    String json = """
        {"format": "graph-model",
         "modelTopology": {"node": [
           {"name": "net/images", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"},
             "shape": {"shape": {"dim": [{"size": "1"}, {"size": "40"}, {"size": "40"}, {"size": "3"}]}}}},
           {"name": "packed", "op": "Const", "attr": {"dtype": {"type": "DT_FLOAT"}, "value": {"tensor": {"dtype": "DT_FLOAT"}}}},
           {"name": "net/detections", "op": "Identity", "input": ["packed", "^net/images"], "attr": {"T": {"type": "DT_FLOAT"}}},
           {"name": "net/heatmap", "op": "Identity", "input": ["net/images"], "attr": {"T": {"type": "DT_FLOAT"}}}
         ]},
         "weightsManifest": [{"paths": ["w.bin"], "weights": [{"name": "packed", "shape": [1, 3, 6], "dtype": "float32"}]}]}
        """;
    Path model = dir.resolve("model.json");
    Files.writeString(model, json);
    // Rows x1 y1 x2 y2 score class, in input pixels, not sorted by score; the last box leaves the image.
    float[] rows = {4, 8, 20, 16, 0.25f, 7, 0, 0, 40, 40, 0.9f, 0, 30, 10, 50, 20, 0.05f, 41};
    ByteBuffer w = le(4 * rows.length);
    for (float v : rows) w.putFloat(v);
    Files.write(dir.resolve("w.bin"), w.array());

    Path out = dir.resolve("teacher");
    IOException wrongName = assertThrows(IOException.class, () -> TfjsImporter.importModel(new TfjsImporter.Options(model, out,
        DetectionLayout.XYXY_PIXELS_SCORE_CLASS, "net/boxes", 0f, "SavedModelTeacher", new float[3], new float[] {1, 1, 1}, 1)));
    assertTrue(wrongName.getMessage().contains("--detection_output 'net/boxes' is not a tensor of the graph"), wrongName.getMessage());
    assertFalse(Files.exists(out));

    var o = new TfjsImporter.Options(model, out, DetectionLayout.XYXY_PIXELS_SCORE_CLASS, null, 0.1f, "coco/SavedModelTeacher",
        new float[] {0, 0, 0}, new float[] {255, 255, 255}, 1);
    var result = TfjsImporter.importModel(o);
    assertEquals(Map.of("images", "float [1, 40, 40, 3]"), result.inputs());
    try (FrozenTeacher t = FrozenTeacher.load(out, TfjsImporter.SIGNATURE);
        TFloat32 x = TFloat32.tensorOf(Shape.of(1, 40, 40, 3));
        Result r = t.run(Map.<String, Tensor>of("images", x))) {
      TFloat32 boxes = (TFloat32) r.get("boxes").orElseThrow();
      TFloat32 scores = (TFloat32) r.get("scores").orElseThrow();
      TInt32 classes = (TInt32) r.get("classes").orElseThrow();
      TInt32 count = (TInt32) r.get("num_detections").orElseThrow();
      assertEquals(Shape.of(1, 3, 4), boxes.shape());
      assertArrayEquals(new float[] {0.9f, 0.25f, 0.05f}, new float[] {scores.getFloat(0, 0), scores.getFloat(0, 1), scores.getFloat(0, 2)});
      assertArrayEquals(new int[] {0, 7, 41}, new int[] {classes.getInt(0, 0), classes.getInt(0, 1), classes.getInt(0, 2)});
      assertEquals(2, count.getInt(0)); // scores above --min_score 0.1
      float[][] expected = {{0, 0, 1, 1}, {0.2f, 0.1f, 0.4f, 0.5f}, {0.25f, 0.75f, 0.5f, 1f}}; // yxyx / 40, clipped
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < 4; k++) assertEquals(expected[i][k], boxes.getFloat(0, i, k), 1e-6, "box " + i + " coord " + k);
      }
    }

    // teacher.conf configures the project's external-teacher adapter as it is.
    String conf = Files.readString(out.resolve(TfjsImporter.TEACHER_CONF));
    assertTrue(conf.contains("coco/SavedModelTeacher.input_std = [255.0, 255.0, 255.0]\n"), conf);
    SavedModelTeacher teacher = new Injector(new ConfigLoader(ConfigRegistry.fromServices())
        .parseString("teacher.conf", conf).build()).create(SavedModelTeacher.class, "coco");
    assertEquals(String.join("\n",
            "task = detection",
            "directory = " + out.toAbsolutePath(),
            "signature = serving_default",
            "input_name = images",
            "input_size = 40",
            "keep_aspect = false",
            "input_mean = [0.0, 0.0, 0.0]",
            "input_std = [255.0, 255.0, 255.0]",
            "outputs = {boxes=boxes, classes=classes, count=num_detections, scores=scores}",
            "box_format = YXYX_NORMALIZED",
            "class_offset = 1"),
        teacher.settings().lines().limit(11).collect(java.util.stream.Collectors.joining("\n")));
  }

  @Test
  void commandLine() throws IOException {
    assertEquals(0, run("--help").status);
    assertTrue(run("--help").out.contains("--detection_layout"));
    assertEquals(2, run().status);
    assertEquals(2, run("--model_json", "m.json").status);
    Run bad = run("--model_json", "m.json", "--output", "o", "--detection_layout", "boxes_first");
    assertEquals(2, bad.status);
    assertTrue(bad.err.contains("unknown detection layout 'boxes_first'; known: xyxy_pixels_score_class"), bad.err);
    assertEquals(2, run("--model_json", "m.json", "--output", "o", "--input_std", "1,2").status);
    assertEquals(2, run("--model_json", "m.json", "--output", "o", "--bogus", "1").status);

    Path model = twoNodeModel("float32", UINT8, "2");
    Files.delete(dir.resolve("group1-shard1of1.bin"));
    Run missing = run("--model_json", model.toString(), "--output", dir.resolve("o").toString());
    assertEquals(1, missing.status);
    assertTrue(missing.err.contains("group1-shard1of1.bin") && missing.err.contains("does not exist"), missing.err);
    assertFalse(Files.exists(dir.resolve("o")));

    // A model without an image input cannot take a detection layout.
    Files.write(dir.resolve("group1-shard1of1.bin"), new byte[] {0, 6});
    Run notADetector = run("--model_json", model.toString(), "--output", dir.resolve("o").toString(), "--detection_layout",
        "xyxy_pixels_score_class");
    assertEquals(1, notADetector.status);
    assertTrue(notADetector.err.contains("input 'x' is DT_FLOAT [2]; a detector teacher needs a float32 [B, S, S, C]"),
        notADetector.err);

    Run ok = run("--model_json", model.toString(), "--output", dir.resolve("o").toString());
    assertEquals(0, ok.status, ok.err);
    assertTrue(ok.out.contains("output y: float [2]"), ok.out);
    assertTrue(Files.isRegularFile(dir.resolve("o/saved_model.pb")));
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ImportTeacher.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static TfjsImporter.Options options(Path model, Path out, DetectionLayout layout) {
    return new TfjsImporter.Options(model, out, layout, null, 0f, "SavedModelTeacher", new float[] {0, 0, 0},
        new float[] {1, 1, 1}, 1);
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }
}
