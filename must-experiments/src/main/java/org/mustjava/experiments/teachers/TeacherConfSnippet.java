package org.mustjava.experiments.teachers;

import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code teacher.conf} the importer writes beside {@code saved_model.pb}: the bindings of the
 * external-teacher adapter (default name {@code SavedModelTeacher}, docs/teachers.md) that make the
 * SavedModel a teacher. {@code include} it from an experiment config, or copy its lines under a
 * scope.
 *
 * @param task {@code detection} (the only task the importer's layouts produce today)
 * @param directory the SavedModel directory (absolute)
 * @param signature the signature key
 * @param inputName the signature's image input
 * @param inputSize the square input size in pixels
 * @param inputMean per-channel mean subtracted from 0..255 pixel values
 * @param inputStd per-channel divisor applied after the mean ({@code (pixel - mean) / std})
 * @param outputs meaning ({@code boxes}, {@code scores}, {@code classes}, {@code count}) -> output name
 * @param boxFormat e.g. {@code yxyx_normalized}
 * @param classOffset added to the teacher's class ids to give the project's 1..K (0 = background)
 */
public record TeacherConfSnippet(String task, Path directory, String signature, String inputName, int inputSize,
    float[] inputMean, float[] inputStd, Map<String, String> outputs, String boxFormat, int classOffset) {

  /** The snippet's text with {@code name} as the configurable (possibly scoped: {@code coco/SavedModelTeacher}). */
  public String render(String name, String source) {
    StringBuilder sb = new StringBuilder();
    sb.append("# Written by tools/import-teacher from ").append(source).append('\n');
    sb.append("# Bindings of the external-teacher adapter (docs/teachers.md).\n");
    line(sb, name, "task", quote(task));
    line(sb, name, "directory", quote(directory.toString()));
    line(sb, name, "signature", quote(signature));
    line(sb, name, "input_name", quote(inputName));
    line(sb, name, "input_size", Integer.toString(inputSize));
    // TF.js detectors see the whole image stretched to S x S (docs/teachers.md).
    line(sb, name, "keep_aspect", "False");
    line(sb, name, "input_mean", floats(inputMean));
    line(sb, name, "input_std", floats(inputStd));
    StringBuilder dict = new StringBuilder("{");
    for (String meaning : new String[] {"boxes", "scores", "classes", "count"}) {
      if (!outputs.containsKey(meaning)) continue;
      if (dict.length() > 1) dict.append(", ");
      dict.append(quote(meaning)).append(": ").append(quote(outputs.get(meaning)));
    }
    line(sb, name, "outputs", dict.append('}').toString());
    line(sb, name, "box_format", quote(boxFormat));
    line(sb, name, "class_offset", Integer.toString(classOffset));
    return sb.toString();
  }

  private static void line(StringBuilder sb, String name, String key, String value) {
    sb.append(name).append('.').append(key).append(" = ").append(value).append('\n');
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String floats(float[] v) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(Float.toString(v[i]));
    return sb.append(']').toString();
  }
}
