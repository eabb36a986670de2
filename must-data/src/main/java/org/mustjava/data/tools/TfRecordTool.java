package org.mustjava.data.tools;

import com.beust.jcommander.Parameter;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.io.CorruptRecordException;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;

/**
 * {@code tools/tfrecord inspect FILE...}: for each file, the record count, whether every record's
 * CRCs check out, and the feature keys, types and value counts of the first {@code tf.train.Example}.
 *
 * <p>Arguments may also be patterns and sharded specs ({@code 'train-*'}, {@code train@8}), see
 * {@link TFRecordFiles}. GZIP is detected from the {@code .gz} suffix or the content.
 *
 * <p>Exit status: 0 when every file is intact, 1 when a file is corrupt, truncated or unreadable
 * (the message names the file and byte offset), 2 for a usage error.
 */
public final class TfRecordTool {
  static final int OK = CommandLine.OK;
  static final int BAD_FILE = CommandLine.FAILURE;
  static final int USAGE = CommandLine.USAGE_ERROR;

  /** The command and its files: {@code inspect FILE...}. */
  static final class Flags {
    @Parameter(description = "inspect FILE...", splitter = CommandLine.WholeValue.class)
    List<String> arguments = new ArrayList<>();
  }

  private TfRecordTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the tool; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags flags = new Flags();
    CommandLine commandLine = new CommandLine("tools/tfrecord",
        "tools/tfrecord inspect FILE...: prints, per file, the record count, CRC status, compression, and the\n"
            + "feature keys / types / value counts of the first tf.train.Example. FILE may be a path, a glob\n"
            + "('dir/train-*') or a sharded spec (PREFIX@8).",
        "0 all intact, 1 a file is corrupt/truncated/unreadable, 2 usage error", flags);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    List<String> arguments = flags.arguments;
    if (arguments.isEmpty()) return commandLine.usageError("no command given: tools/tfrecord inspect FILE...", err);
    if (!arguments.get(0).equals("inspect")) {
      return commandLine.usageError("unknown command '" + arguments.get(0) + "' (the command is inspect)", err);
    }
    if (arguments.size() == 1) return commandLine.usageError("inspect: no files given", err);
    for (String a : arguments) {
      if (a.startsWith("-")) return commandLine.usageError("unknown option " + a, err);
    }
    int status = OK;
    for (String arg : arguments.subList(1, arguments.size())) {
      List<Path> files;
      try {
        files = expand(arg);
      } catch (IllegalArgumentException e) {
        err.println("tfrecord: " + e.getMessage());
        status = BAD_FILE;
        continue;
      }
      for (Path f : files) {
        if (!inspect(f, out, err)) {
          status = BAD_FILE;
        }
      }
    }
    return status;
  }

  private static List<Path> expand(String arg) {
    Path p = Paths.get(arg);
    if (Files.isRegularFile(p)) {
      return List.of(p);
    }
    return TFRecordFiles.expand(arg);
  }

  /** Prints the report for one file; returns false if it is corrupt or unreadable. */
  static boolean inspect(Path file, PrintStream out, PrintStream err) {
    byte[] first = null;
    long count = 0;
    try (TFRecordReader r = TFRecordReader.open(file)) {
      String compression = r.isGzip() ? "GZIP" : "uncompressed";
      try {
        for (byte[] rec; (rec = r.read()) != null; count++) {
          if (first == null) {
            first = rec;
          }
        }
      } catch (CorruptRecordException e) {
        out.println(file + ": CORRUPT after " + count + " good records (" + compression + ")");
        err.println("tfrecord: " + e.getMessage());
        return false;
      }
      out.println(file + ": " + count + " records, CRC OK, " + compression + ", "
          + Files.size(file) + " bytes");
    } catch (CorruptRecordException e) {
      out.println(file + ": CORRUPT (" + e.kind().description() + ")");
      err.println("tfrecord: " + e.getMessage());
      return false;
    } catch (IOException e) {
      out.println(file + ": UNREADABLE");
      err.println("tfrecord: " + file + ": " + e);
      return false;
    }
    if (first != null) {
      describeFirst(first, out);
    }
    return true;
  }

  private static void describeFirst(byte[] record, PrintStream out) {
    Example ex;
    try {
      ex = Example.parseFrom(record);
    } catch (InvalidProtocolBufferException e) {
      out.println("  first record: " + record.length + " bytes, not a tf.train.Example");
      return;
    }
    Map<String, Feature> features = new TreeMap<>(ex.getFeatures().getFeatureMap());
    if (features.isEmpty()) {
      out.println("  first record: " + record.length + " bytes, no tf.train.Example features"
          + " (empty Example, or another kind of record)");
      return;
    }
    out.println("  first example: " + features.size() + " features");
    int width = features.keySet().stream().mapToInt(String::length).max().orElse(0);
    for (Map.Entry<String, Feature> e : features.entrySet()) {
      Feature f = e.getValue();
      String type;
      int n;
      String values;
      switch (f.getKindCase()) {
        case BYTES_LIST -> {
          type = "bytes";
          n = f.getBytesList().getValueCount();
          List<String> shown = new ArrayList<>();
          for (int i = 0; i < Math.min(n, 3); i++) {
            shown.add(describeBytes(f.getBytesList().getValue(i).toByteArray()));
          }
          values = String.join(", ", shown) + (n > 3 ? ", ..." : "");
        }
        case INT64_LIST -> {
          type = "int64";
          n = f.getInt64List().getValueCount();
          values = preview(f.getInt64List().getValueList());
        }
        case FLOAT_LIST -> {
          type = "float";
          n = f.getFloatList().getValueCount();
          values = preview(f.getFloatList().getValueList());
        }
        default -> {
          type = "empty";
          n = 0;
          values = "";
        }
      }
      out.printf("    %-" + width + "s  %-5s [%d]  %s%n", e.getKey(), type, n, values);
    }
  }

  private static String preview(List<? extends Number> values) {
    List<String> s = new ArrayList<>();
    for (int i = 0; i < Math.min(values.size(), 6); i++) {
      s.add(String.valueOf(values.get(i)));
    }
    return s.isEmpty() ? "" : String.join(", ", s) + (values.size() > 6 ? ", ..." : "");
  }

  /** Short printable UTF-8 strings are shown quoted; anything else by length (and image type). */
  private static String describeBytes(byte[] b) {
    if (b.length <= 64) {
      try {
        String s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        if (s.chars().allMatch(c -> c >= 0x20 && c != 0x7f)) {
          return "\"" + s + "\"";
        }
      } catch (CharacterCodingException e) {
        // binary: fall through
      }
    }
    String kind = org.mustjava.data.example.ImageCodecs.sniffFormat(b);
    return "<" + b.length + " bytes" + (kind != null ? ", " + kind.toUpperCase() : "") + ">";
  }
}
