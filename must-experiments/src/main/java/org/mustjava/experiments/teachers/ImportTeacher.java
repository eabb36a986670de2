package org.mustjava.experiments.teachers;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;

/**
 * {@code tools/import-teacher}: converts a TensorFlow.js graph model into a SavedModel teacher
 * ({@link TfjsImporter}). Exit status: 0 success, 1 failure (bad model file, missing shard,
 * TensorFlow error), 2 bad flags.
 */
public final class ImportTeacher {
  private ImportTeacher() {}

  /** The flags; values checked beyond their syntax are parsed in {@link #run}. */
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--model_json", description = "The model.json of a TF.js graph model (required).")
    Path modelJson;

    @Parameter(names = "--output", description = "The SavedModel directory to write (required).")
    Path output;

    @Parameter(names = "--detection_layout", description = "The detector packs its detections into one output; add "
        + "ops that unpack it into outputs boxes (ymin, xmin, ymax, xmax normalised to [0, 1] by the input size), scores, "
        + "classes (int32, the model's ids), num_detections, and write DIR/teacher.conf. Layouts: xyxy_pixels_score_class "
        + "([B, N, 6] rows x1 y1 x2 y2 in input pixels, score, class; e.g. human-models' centernet).")
    String detectionLayout;

    @Parameter(names = "--detection_output", description = "The packed output tensor (default: the only float32 [B, N, 6] output).")
    String detectionOutput;

    @Parameter(names = "--min_score", description = "num_detections counts the rows scoring above this.")
    float minScore = 0f;

    @Parameter(names = "--teacher_name", description = "The configurable teacher.conf binds (a scope is allowed, e.g. "
        + "coco/SavedModelTeacher).")
    String teacherName = "SavedModelTeacher";

    @Parameter(names = "--input_mean", description = "teacher.conf: per-channel mean M,M,M on 0..255 pixels.")
    String inputMean = "0,0,0";

    @Parameter(names = "--input_std", description = "teacher.conf: per-channel std S,S,S on 0..255 pixels (1,1,1: the "
        + "model takes raw 0..255 values; 255,255,255 for [0, 1]).")
    String inputStd = "1,1,1";

    @Parameter(names = "--class_offset", description = "teacher.conf: added to the model's class ids to give the "
        + "project's 1..K with 0 = background (1: COCO-80 ids 0..79 -> 1..80).")
    int classOffset = 1;
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the tool in-process; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags flags = new Flags();
    CommandLine commandLine = new CommandLine("tools/import-teacher",
        "Converts a TensorFlow.js graph model (model.json + the weight shards it lists) into a SavedModel with one\n"
            + "signature, 'serving_default'. Weights are dequantised (uint8, uint16, float16) into Const nodes; TF.js\n"
            + "fused ops are rewritten into standard TensorFlow ops. DIR is replaced atomically. Without\n"
            + "--detection_layout the signature has the model's own outputs and no teacher.conf is written.\n"
            + "Details and the teacher config: docs/teachers.md.",
        "0 success, 1 failure (bad model file, missing shard, TensorFlow error), 2 bad flags", flags);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    Path modelJson = flags.modelJson;
    Path output = flags.output;
    String detectionOutput = flags.detectionOutput;
    float minScore = flags.minScore;
    String teacherName = flags.teacherName;
    int classOffset = flags.classOffset;
    DetectionLayout layout;
    float[] mean;
    float[] std;
    try {
      layout = flags.detectionLayout == null ? null : DetectionLayout.fromFlag(flags.detectionLayout);
      mean = threeFloats("--input_mean", flags.inputMean);
      std = threeFloats("--input_std", flags.inputStd);
    } catch (IllegalArgumentException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    if (modelJson == null) return commandLine.usageError("--model_json is required", err);
    if (output == null) return commandLine.usageError("--output is required", err);
    for (float s : std) if (s == 0f) return commandLine.usageError("--input_std must not be 0", err);
    if (!teacherName.matches("([A-Za-z_][\\w.]*/)*[A-Za-z_]\\w*")) return commandLine.usageError("--teacher_name: not a configurable name: '" + teacherName + "'", err);
    if (layout == null && detectionOutput != null) return commandLine.usageError("--detection_output needs --detection_layout", err);

    try {
      TfjsImporter.Result r = TfjsImporter.importModel(new TfjsImporter.Options(modelJson, output, layout, detectionOutput,
          minScore, teacherName, mean, std, classOffset));
      out.println("wrote " + r.directory() + " (" + r.nodes() + " nodes, " + r.weights() + " weights, " + r.rewrittenNodes()
          + " fused TF.js nodes rewritten)");
      out.println("signature '" + TfjsImporter.SIGNATURE + "'");
      r.inputs().forEach((k, v) -> out.println("  input  " + k + ": " + v));
      r.outputs().forEach((k, v) -> out.println("  output " + k + ": " + v));
      if (r.teacherConf()) out.println("teacher config: " + r.directory().resolve(TfjsImporter.TEACHER_CONF));
      return CommandLine.OK;
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.FAILURE;
    }
  }

  private static float[] threeFloats(String flag, String value) {
    String[] parts = value.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException(flag + ": expected 3 comma-separated numbers, got '" + value + "'");
    }
    float[] v = new float[3];
    try {
      for (int i = 0; i < 3; i++) v[i] = Float.parseFloat(parts[i].trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": not a number: '" + value + "'");
    }
    return v;
  }

}
