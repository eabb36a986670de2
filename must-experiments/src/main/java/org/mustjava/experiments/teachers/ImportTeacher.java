package org.mustjava.experiments.teachers;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code tools/import-teacher}: converts a TensorFlow.js graph model into a SavedModel teacher
 * ({@link TfjsImporter}). Exit status: 0 success, 1 failure (bad model file, missing shard,
 * TensorFlow error), 2 bad flags.
 */
public final class ImportTeacher {
  private ImportTeacher() {}

  static final String USAGE = """
      Usage: tools/import-teacher --model_json FILE --output DIR [--detection_layout LAYOUT] [OPTIONS]
      Converts a TensorFlow.js graph model (model.json + the weight shards it lists) into a SavedModel
      with one signature, 'serving_default'. Weights are dequantised (uint8, uint16, float16) into
      Const nodes; TF.js fused ops are rewritten into standard TensorFlow ops. DIR is replaced
      atomically. Details and the teacher config: docs/teachers.md.
        --model_json FILE          the model.json of a TF.js graph model
        --output DIR               the SavedModel directory to write
        --detection_layout LAYOUT  the detector packs its detections into one output; add ops that
                                   unpack it into outputs boxes (ymin, xmin, ymax, xmax normalised to
                                   [0, 1] by the input size), scores, classes (int32, the model's ids),
                                   num_detections, and write DIR/teacher.conf. Layouts:
                                   xyxy_pixels_score_class ([B, N, 6] rows x1 y1 x2 y2 in input
                                   pixels, score, class; e.g. human-models' centernet)
        --detection_output NAME    the packed output tensor (default: the only float32 [B, N, 6] output)
        --min_score S              num_detections counts the rows scoring above S (default 0)
        --teacher_name NAME        the configurable teacher.conf binds (default SavedModelTeacher;
                                   a scope is allowed, e.g. coco/SavedModelTeacher)
        --input_mean M,M,M         teacher.conf: per-channel mean on 0..255 pixels (default 0,0,0)
        --input_std S,S,S          teacher.conf: per-channel std on 0..255 pixels (default 1,1,1,
                                   i.e. the model takes raw 0..255 values; 255,255,255 for [0, 1])
        --class_offset K           teacher.conf: added to the model's class ids to give the project's
                                   1..K with 0 = background (default 1: COCO-80 ids 0..79 -> 1..80)
        --help                     this text
      Without --detection_layout the signature has the model's own outputs and no teacher.conf is
      written. Exit status: 0 success, 1 failure, 2 bad flags.
      """;

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the tool in-process; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path modelJson = null;
    Path output = null;
    DetectionLayout layout = null;
    String detectionOutput = null;
    float minScore = 0f;
    String teacherName = "SavedModelTeacher";
    float[] mean = {0f, 0f, 0f};
    float[] std = {1f, 1f, 1f};
    int classOffset = 1;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String flag = a.startsWith("--") && a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
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
        return usage(err, a + " needs a value");
      }
      try {
        switch (flag) {
          case "--model_json" -> modelJson = Path.of(value);
          case "--output" -> output = Path.of(value);
          case "--detection_layout" -> layout = DetectionLayout.fromFlag(value);
          case "--detection_output" -> detectionOutput = value;
          case "--min_score" -> minScore = Float.parseFloat(value);
          case "--teacher_name" -> teacherName = value;
          case "--input_mean" -> mean = threeFloats(flag, value);
          case "--input_std" -> std = threeFloats(flag, value);
          case "--class_offset" -> classOffset = Integer.parseInt(value);
          default -> {
            return usage(err, "unknown flag '" + a + "'");
          }
        }
      } catch (NumberFormatException e) {
        return usage(err, flag + ": not a number: '" + value + "'");
      } catch (IllegalArgumentException e) {
        return usage(err, flag + ": " + e.getMessage());
      }
    }
    if (modelJson == null) return usage(err, "--model_json is required");
    if (output == null) return usage(err, "--output is required");
    for (float s : std) if (s == 0f) return usage(err, "--input_std must not be 0");
    if (!teacherName.matches("([A-Za-z_][\\w.]*/)*[A-Za-z_]\\w*")) return usage(err, "--teacher_name: not a configurable name: '" + teacherName + "'");
    if (layout == null && detectionOutput != null) return usage(err, "--detection_output needs --detection_layout");

    try {
      TfjsImporter.Result r = TfjsImporter.importModel(new TfjsImporter.Options(modelJson, output, layout, detectionOutput,
          minScore, teacherName, mean, std, classOffset));
      out.println("wrote " + r.directory() + " (" + r.nodes() + " nodes, " + r.weights() + " weights, " + r.rewrittenNodes()
          + " fused TF.js nodes rewritten)");
      out.println("signature '" + TfjsImporter.SIGNATURE + "'");
      r.inputs().forEach((k, v) -> out.println("  input  " + k + ": " + v));
      r.outputs().forEach((k, v) -> out.println("  output " + k + ": " + v));
      if (r.teacherConf()) out.println("teacher config: " + r.directory().resolve(TfjsImporter.TEACHER_CONF));
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println("import-teacher: " + e.getMessage());
      return 1;
    }
  }

  private static float[] threeFloats(String flag, String value) {
    String[] parts = value.split(",");
    if (parts.length != 3) throw new IllegalArgumentException("expected 3 comma-separated numbers, got '" + value + "'");
    float[] v = new float[3];
    for (int i = 0; i < 3; i++) v[i] = Float.parseFloat(parts[i].trim());
    return v;
  }

  private static int usage(PrintStream err, String message) {
    err.println("error: " + message + "\n" + USAGE);
    return 2;
  }
}
