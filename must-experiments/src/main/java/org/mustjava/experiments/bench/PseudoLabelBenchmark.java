package org.mustjava.experiments.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Stream;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.core.config.Config;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.experiments.pseudolabel.PseudoLabelStage;
import org.mustjava.models.tasks.MultiTaskTrainingTask;

/**
 * {@code tools/benchmark pseudolabel}: images/s of the {@code PseudoLabel} stage with one
 * classification teacher (the project's export of a ResNet classifier, default ResNet-50 at 224
 * px, BatchNorm statistics randomised), with and without the graph optimisation (BatchNorm
 * folding), and in the same run the Keras reference {@code tools/bench-reference/keras_pseudolabel.py}
 * on the same records: tf.keras.applications ResNet of the same depth in inference, (a) fed from a
 * tf.data pipeline that decodes and resizes the same JPEGs, (b) on constant tensors. The Java
 * variants are timed after their first batch, which pays TensorFlow's one-time graph optimisation;
 * the Keras ones after an untimed pass.
 *
 * <p>With {@code --beam}: instead, the stage's two engines on the same images (in {@code --files}
 * input files) and teacher (optimised): the single-process stage, and the Beam pipeline on the
 * DirectRunner with 1 and 2 workers ({@code --targetParallelism}); timed whole, teacher loading
 * included, since each Beam worker loads its own teacher inside the pipeline. The Beam stage
 * also pays the pipeline's fixed costs (start, the shuffle that assigns records to shards, file
 * finalisation), so few images understate its rate.
 */
public final class PseudoLabelBenchmark {
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--depth", description = "ResNet depth (50, 101, 152 have a Keras reference).")
    int depth = 50;

    @Parameter(names = "--image_size", description = "Teacher input size S; the images are S x S JPEGs.")
    int imageSize = 224;

    @Parameter(names = "--classes", description = "Classes of the teacher.")
    int classes = 1000;

    @Parameter(names = "--batch", description = "PseudoLabel.batch_size (and the Keras batch).")
    int batch = 8;

    @Parameter(names = "--images", description = "Images to label per variant.")
    int images = 64;

    @Parameter(names = "--python", description = "Python with TensorFlow for the Keras reference ('' to skip it).")
    String python = "python3";

    @Parameter(names = "--reference", description = "The Keras reference script.")
    String reference = "tools/bench-reference/keras_pseudolabel.py";

    @Parameter(names = "--seed", description = "Seed of the images and the teacher's weights.")
    long seed = 1;

    @Parameter(names = "--beam", description = "Compare the local engine with the Beam pipeline (DirectRunner, 1 and 2 workers) instead.")
    boolean beam;

    @Parameter(names = "--files", description = "With --beam: input files the images are spread over (Beam reads files in parallel).")
    int files = 4;
  }

  private PseudoLabelBenchmark() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark pseudolabel",
        "Images/s of the PseudoLabel stage with one classification teacher, with and without the graph\noptimisation, and the Keras reference on the same records; --beam: the local engine vs the Beam\npipeline on the DirectRunner with 1 and 2 workers.",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    try {
      if (f.imageSize < 32 || f.batch < 1 || f.images < 1 || f.classes < 1 || f.files < 1) {
        throw new ParameterException("--image_size >= 32; --batch, --images, --classes, --files >= 1");
      }
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    String loadBefore = MachineInfo.loadAverage();
    Path work = Files.createTempDirectory("benchmark-pseudolabel");
    try {
      err.println("exporting the teacher ...");
      MultiTaskTrainingTask task = create(MultiTaskTrainingTask.class, """
          MultiTaskTrainingTask.model = @MultiTaskModel()
          MultiTaskTrainingTask.train_files = ['unused']
          MultiTaskTrainingTask.train_pipeline = @Pipeline
          MultiTaskTrainingTask.serving_image_size = %d
          MultiTaskModel.backbone = @ResNet()
          MultiTaskModel.heads = [@ClassificationHead()]
          ResNet.depth = %d
          ClassificationHead.num_classes = %d
          """.formatted(f.imageSize, f.depth, f.classes));
      Path export = work.resolve("teacher");
      InitialisedTeacherExport.export(task, work.resolve("checkpoint"), export, f.seed);
      if (f.beam) return engines(f, work, export, loadBefore, out, err);
      Path records = work.resolve("images-00000-of-00001");
      writeImages(records, f.images, f.imageSize, f.seed);

      MarkdownTable table = new MarkdownTable("what", "images", "batch", "teacher load s", "first batch s",
          "timed images", "timed s", "images/s");
      for (boolean optimize : new boolean[] {false, true}) {
        PseudoLabelStage stage = create(PseudoLabelStage.class, """
            PseudoLabel.input_files = ['%s']
            PseudoLabel.teachers = [@SavedModelTeacher()]
            PseudoLabel.batch_size = %d
            SavedModelTeacher.task = 'classification'
            SavedModelTeacher.directory = '%s'
            SavedModelTeacher.optimize = %s
            """.formatted(records, f.batch, export, optimize ? "True" : "False"));
        PseudoLabelStage.RunSummary s = stage.run(work.resolve(optimize ? "run-optimised" : "run-plain"), err);
        // Timed after the first batch, which pays TensorFlow's one-time graph optimisation (Keras's
        // script likewise times a second pass).
        long timed = s.images() - s.firstBatchImages();
        double sec = s.labelSeconds() - s.firstBatchSeconds();
        table.row("must-java PseudoLabel, " + (optimize ? "BatchNorm folded" : "graph as exported"), s.images(), f.batch,
            fmt(s.loadSeconds()), fmt(s.firstBatchSeconds()), timed, fmt(sec), fmt(timed / sec));
      }
      if (!f.python.isEmpty()) {
        for (String line : keras(f, records, err)) {
          // "KERAS <what>\t<images>\t<seconds>"
          String[] p = line.substring("KERAS ".length()).split("\t");
          long n = Long.parseLong(p[1]);
          double sec = Double.parseDouble(p[2]);
          table.row("Keras " + p[0], n, f.batch, "", "(untimed pass)", n, fmt(sec), fmt(n / sec));
        }
      }
      out.println("machine: " + MachineInfo.describe());
      out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + MachineInfo.loadAverage() + " at the end");
      out.printf(Locale.ROOT, "teacher: ResNet-%d classifier, %d classes, %d px input; images: %d random %dx%d JPEGs%n%n",
          f.depth, f.classes, f.imageSize, f.images, f.imageSize, f.imageSize);
      out.print(table);
      return 0;
    } finally {
      try (Stream<Path> w = Files.walk(work)) {
        for (Path p : w.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
      }
    }
  }

  /** {@code --beam}: the local engine, then the Beam pipeline with 1 and 2 DirectRunner workers. */
  private static int engines(Flags f, Path work, Path export, String loadBefore, PrintStream out, PrintStream err)
      throws Exception {
    List<Path> files = new ArrayList<>();
    for (int k = 0; k < f.files; k++) {
      Path file = work.resolve(String.format(Locale.ROOT, "images-%05d-of-%05d", k, f.files));
      int n = f.images / f.files + (k < f.images % f.files ? 1 : 0);
      writeImages(file, n, f.imageSize, f.seed + k);
      files.add(file);
    }
    String pattern = work.resolve("images-*").toString();
    MarkdownTable table = new MarkdownTable("engine", "images", "batch", "wall s (teacher loading included)", "images/s");
    // The first pipeline of the JVM also loads Beam's classes: it runs twice, both reported.
    String[][] variants = {{"local", "local (single process)", ""},
        {"beam", "Beam, DirectRunner, 1 worker (first pipeline of the JVM)", "['--runner=DirectRunner', '--targetParallelism=1']"},
        {"beam", "Beam, DirectRunner, 1 worker", "['--runner=DirectRunner', '--targetParallelism=1']"},
        {"beam", "Beam, DirectRunner, 2 workers", "['--runner=DirectRunner', '--targetParallelism=2']"}};
    for (String[] v : variants) {
      PseudoLabelStage stage = create(PseudoLabelStage.class, """
          PseudoLabel.input_files = ['%s']
          PseudoLabel.teachers = [@SavedModelTeacher()]
          PseudoLabel.batch_size = %d
          PseudoLabel.engine = '%s'
          %s
          SavedModelTeacher.task = 'classification'
          SavedModelTeacher.directory = '%s'
          """.formatted(pattern, f.batch, v[0], v[2].isEmpty() ? "" : "PseudoLabel.beam_options = " + v[2], export));
      long t0 = System.nanoTime();
      PseudoLabelStage.RunSummary s = stage.run(work.resolve("run-" + table.size()), err);
      double sec = (System.nanoTime() - t0) / 1e9;
      if (s.images() != f.images) throw new IllegalStateException(v[1] + " labelled " + s.images() + " of " + f.images + " images");
      table.row(v[1], s.images(), f.batch, fmt(sec), fmt(s.images() / sec));
    }
    out.println("machine: " + MachineInfo.describe());
    out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + MachineInfo.loadAverage() + " at the end");
    out.printf(Locale.ROOT, "teacher: ResNet-%d classifier, %d classes, %d px input, BatchNorm folded; images: %d random "
        + "%dx%d JPEGs in %d files%n%n", f.depth, f.classes, f.imageSize, f.images, f.imageSize, f.imageSize, f.files);
    out.print(table);
    return 0;
  }

  private static List<String> keras(Flags f, Path records, PrintStream err) throws Exception {
    List<String> cmd = List.of(f.python, f.reference, "--depth", Integer.toString(f.depth), "--image_size",
        Integer.toString(f.imageSize), "--classes", Integer.toString(f.classes), "--batch", Integer.toString(f.batch),
        "--records", records.toString(), "--seed", Long.toString(f.seed));
    err.println("running " + String.join(" ", cmd));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    List<String> results = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("KERAS ")) results.add(line);
        else err.println(line);
      }
    }
    if (p.waitFor() != 0) throw new IllegalStateException("the Keras reference failed (exit " + p.exitValue() + ")");
    return results;
  }

  /** Random smooth colour JPEGs (quality 90), {@code size x size}, in one TFRecord file. */
  private static void writeImages(Path file, int n, int size, long seed) throws Exception {
    Random rnd = new Random(seed);
    try (TFRecordWriter w = TFRecordWriter.create(file, Compression.NONE)) {
      for (int i = 0; i < n; i++) {
        byte[] rgb = new byte[size * size * 3];
        double[] f = {rnd.nextDouble() * 0.1, rnd.nextDouble() * 0.1, rnd.nextDouble() * 0.1};
        for (int y = 0; y < size; y++) {
          for (int x = 0; x < size; x++) {
            for (int c = 0; c < 3; c++) {
              rgb[(y * size + x) * 3 + c] = (byte) (128 + 100 * Math.sin(f[c] * (x + 2 * y) + c) + rnd.nextInt(20));
            }
          }
        }
        byte[] jpeg = ImageCodecs.encodeRgbJpeg(rgb, size, size, 0.9f);
        w.write(MultiTaskExample.builder(jpeg, "jpeg", size, size).sourceId("img" + i).build().toByteArray());
      }
      w.commit();
    }
  }

  private static <T> T create(Class<T> type, String config) {
    Config c = new ConfigLoader(ConfigRegistry.fromServices()).parseString("benchmark.conf", config).build();
    return new Injector(c).create(type);
  }

  private static String fmt(double v) {
    return InputBenchmark.fmt(v);
  }
}
