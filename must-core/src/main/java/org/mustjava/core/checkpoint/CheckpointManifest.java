package org.mustjava.core.checkpoint;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.io.AtomicFiles;
import org.tensorflow.ndarray.Shape;

/**
 * The variables in a checkpoint (name, dtype, shape), written as {@code manifest.json} beside it:
 * what a partial restore checks against before touching anything, and what a person reads to see
 * what a checkpoint holds.
 */
public final class CheckpointManifest {
  /** File name beside the checkpoint files. */
  public static final String FILE_NAME = "manifest.json";
  private static final String FORMAT = "must-java-checkpoint-manifest/1";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** One entry. */
  public record Entry(String name, String dtype, long[] shape) {
    public Shape tfShape() {
      return Shape.of(shape);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e && e.name.equals(name) && e.dtype.equals(dtype) && Arrays.equals(e.shape, shape);
    }

    @Override
    public int hashCode() {
      return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
  }

  private final long step;
  private final Map<String, Entry> entries;

  public CheckpointManifest(long step, List<Entry> entries) {
    this.step = step;
    this.entries = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (this.entries.put(e.name(), e) != null) {
        throw new IllegalArgumentException("variable " + e.name() + " listed twice in a checkpoint manifest");
      }
    }
  }

  /** The manifest of a checkpoint holding {@code variables}. */
  public static CheckpointManifest of(long step, List<CheckpointVariable> variables) {
    List<Entry> list = new ArrayList<>();
    for (CheckpointVariable v : variables) {
      list.add(new Entry(v.name(), dtypeName(v.dtype()), v.shape().asArray()));
    }
    return new CheckpointManifest(step, list);
  }

  public long step() {
    return step;
  }

  public Map<String, Entry> entries() {
    return java.util.Collections.unmodifiableMap(entries);
  }

  public void write(Path file) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("step", step);
    json.put("variables", new ArrayList<>(entries.values()));
    AtomicFiles.writeString(file, GSON.toJson(json) + "\n");
  }

  /** Reads a manifest; errors name the file. */
  public static CheckpointManifest read(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null,
          "no checkpoint manifest (every checkpoint written by must-java has one beside its files)");
    }
    try {
      Raw raw = GSON.fromJson(text, Raw.class);
      if (raw == null || !FORMAT.equals(raw.format) || raw.variables == null) {
        throw new IOException(file + ": not a " + FORMAT + " file");
      }
      for (Entry e : raw.variables) {
        if (e == null || e.name() == null || e.dtype() == null || e.shape() == null) {
          throw new IOException(file + ": a variable entry lacks name, dtype or shape");
        }
      }
      return new CheckpointManifest(raw.step, raw.variables);
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new IOException(file + ": malformed checkpoint manifest: " + e.getMessage(), e);
    }
  }

  private static final class Raw {
    String format;
    long step;
    List<Entry> variables;
  }

  static String dtypeName(org.tensorflow.proto.DataType t) {
    return switch (t) {
      case DT_FLOAT, DT_FLOAT_REF -> "float32";
      case DT_INT64, DT_INT64_REF -> "int64";
      case DT_INT32, DT_INT32_REF -> "int32";
      case DT_DOUBLE, DT_DOUBLE_REF -> "float64";
      default -> t.name().toLowerCase(java.util.Locale.ROOT);
    };
  }
}
