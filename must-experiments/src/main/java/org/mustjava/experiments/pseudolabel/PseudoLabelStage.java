package org.mustjava.experiments.pseudolabel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.tfrecord.ShardedTFRecordWriter;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.mustjava.experiments.RunContext;
import org.mustjava.experiments.stages.Stage;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * MuST's pseudo-labelling step: every configured teacher labels every image of an unlabelled set,
 * and the images with all their pseudo-labels are written as TFRecords in the project's feature
 * format ({@code docs/tfrecord-features.md}, "Pseudo-labels").
 *
 * <p>Output, in {@code MODEL_DIR/<name>/}: one shard per input file, {@code
 * <output_prefix>-0000i-of-0000n} holding input file i's images in their order; {@code
 * stats/<shard>.json} per shard and {@code label_stats.json} over all (boxes per image, ignored
 * pixel fraction, class histograms per teacher); {@code settings.txt} (the inputs and every
 * teacher parameter); {@code COMPLETE} when everything is written.
 *
 * <p>Resumable by shard: a shard is published atomically (written under a hidden temporary name,
 * renamed when complete) after its statistics file, and an existing shard is never relabelled, so
 * after a kill the rerun continues with the first missing shard. Batches never cross shards, so a
 * resumed run computes exactly what an uninterrupted one would: the shards are byte-identical. A
 * rerun with other inputs or teacher settings (see {@code settings.txt}) is refused rather than
 * mixing shards of two configurations. The SavedModel files themselves are not fingerprinted.
 */
public final class PseudoLabelStage implements Stage {
  public static final String COMPLETE = "COMPLETE";
  public static final String SETTINGS = "settings.txt";
  public static final String LABEL_STATS = "label_stats.json";
  public static final String STATS_DIR = "stats";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final String name;
  private final List<String> inputFiles;
  private final List<SavedModelTeacher> teachers;
  private final int batchSize;
  private final String outputPrefix;
  private Runnable afterBatch = () -> {};

  /**
   * @param name output directory below the model directory
   * @param inputFiles TFRecord file patterns of the unlabelled images (relative: to the model
   *     directory); their labels, if any, are ignored
   * @param teachers e.g. {@code [@cls/SavedModelTeacher(), @det/SavedModelTeacher()]}, at most one per task
   * @param batchSize images per teacher call
   * @param outputPrefix shard names: {@code <output_prefix>-00000-of-00008}
   */
  @Configurable("PseudoLabel")
  public PseudoLabelStage(
      @Default("'pseudo_labels'") String name,
      List<String> inputFiles,
      List<SavedModelTeacher> teachers,
      @Default("8") int batchSize,
      @Default("'train'") String outputPrefix) {
    if (name.isBlank() || Path.of(name).isAbsolute() || name.contains("..")) {
      throw new IllegalArgumentException("PseudoLabel.name must be a relative directory name: '" + name + "'");
    }
    if (inputFiles.isEmpty()) throw new IllegalArgumentException("PseudoLabel.input_files is empty");
    if (teachers.isEmpty()) throw new IllegalArgumentException("PseudoLabel.teachers is empty");
    EnumSet<TeacherTask> tasks = EnumSet.noneOf(TeacherTask.class);
    for (SavedModelTeacher t : teachers) {
      if (!tasks.add(t.task())) {
        throw new IllegalArgumentException("PseudoLabel.teachers has two " + t.task().configName()
            + " teachers; a record holds one label per task");
      }
    }
    if (batchSize < 1) throw new IllegalArgumentException("PseudoLabel.batch_size must be >= 1, got " + batchSize);
    if (outputPrefix.isBlank() || outputPrefix.contains("/") || outputPrefix.startsWith(".")) {
      throw new IllegalArgumentException("PseudoLabel.output_prefix must be a plain file name prefix: '" + outputPrefix + "'");
    }
    this.name = name;
    this.inputFiles = List.copyOf(inputFiles);
    this.teachers = List.copyOf(teachers);
    this.batchSize = batchSize;
    this.outputPrefix = outputPrefix;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * An interrupted run continues with its first missing shard (for the stage cache on main, whose
   * {@code Stage} declares this method; on its own the stage resumes the same way).
   */
  public boolean resumable() {
    return true;
  }

  /** Called after every written batch (tests slow the stage down with it to kill it mid-shard). */
  PseudoLabelStage afterBatch(Runnable r) {
    this.afterBatch = r;
    return this;
  }

  @Override
  public void run(RunContext context) throws Exception {
    run(context.modelDir(), context.err());
  }

  /**
   * What one run did.
   *
   * @param images images labelled by this run (0 if everything was done)
   * @param loadSeconds loading (and optimising) the teachers
   * @param labelSeconds reading, labelling and writing, after the teachers were loaded
   * @param firstBatchImages images in the first batch
   * @param firstBatchSeconds the first batch's share of {@code labelSeconds}; it includes
   *     TensorFlow's one-time optimisation of each teacher's graph
   */
  public record RunSummary(long images, double loadSeconds, double labelSeconds, long firstBatchImages,
      double firstBatchSeconds) {}

  /** The stage on its own: {@code modelDir} resolves relative paths, progress goes to {@code log}. */
  public RunSummary run(Path modelDir, PrintStream log) throws IOException {
    Path dir = modelDir.resolve(name);
    if (Files.isRegularFile(dir.resolve(COMPLETE))) {
      log.println(name + ": complete (" + dir.resolve(COMPLETE) + "): nothing to label");
      return new RunSummary(0, 0, 0, 0, 0);
    }
    List<Path> inputs = new ArrayList<>();
    for (String pattern : inputFiles) {
      inputs.addAll(TFRecordFiles.expand(pattern, modelDir));
    }
    if (inputs.size() > 99_999) throw new IllegalArgumentException(name + ": more than 99999 input files");
    Files.createDirectories(dir.resolve(STATS_DIR));
    checkSettings(dir, settings(inputs));
    deleteTemporaries(dir);
    deleteTemporaries(dir.resolve(STATS_DIR));

    int n = inputs.size();
    List<Path> todo = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!Files.isRegularFile(shard(dir, i, n))) todo.add(inputs.get(i));
    }
    long todoBytes = 0;
    for (Path p : todo) todoBytes += Files.size(p);
    ProgressLine progress = new ProgressLine(log, name, n, n - todo.size(), todoBytes);
    long t0 = System.nanoTime();
    long t1 = t0;
    if (!todo.isEmpty()) {
      List<Teacher> loaded = new ArrayList<>();
      try {
        for (SavedModelTeacher t : teachers) {
          loaded.add(t.load(modelDir));
          log.println(name + ": " + t.description() + ": " + loaded.get(loaded.size() - 1).optimization());
        }
        t1 = System.nanoTime();
        progress.restartClock();
        try (ImagePreprocessor pre = new ImagePreprocessor(loaded); PixelMapResizer resizer = new PixelMapResizer()) {
          List<LabelMaker> makers = new ArrayList<>();
          for (Teacher t : loaded) makers.add(new LabelMaker(t, resizer));
          for (int i = 0; i < n; i++) {
            Path out = shard(dir, i, n);
            if (Files.isRegularFile(out)) continue;
            labelShard(inputs.get(i), out, statsFile(dir, out), loaded, pre, makers, progress);
            progress.shardDone();
          }
        }
      } finally {
        for (Teacher t : loaded) t.close();
      }
    }
    Map<String, TaskStatistics> total = new LinkedHashMap<>();
    for (SavedModelTeacher t : teachers) total.put(t.task().configName(), TaskStatistics.of(t.task()));
    for (int i = 0; i < n; i++) {
      Map<String, TaskStatistics> s = readStats(statsFile(dir, shard(dir, i, n)));
      for (var e : total.entrySet()) e.getValue().add(s.get(e.getKey()));
    }
    total.values().forEach(TaskStatistics::summarise);
    AtomicFiles.writeString(dir.resolve(LABEL_STATS), GSON.toJson(total) + "\n");
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < n; i++) list.append(shard(dir, i, n).getFileName()).append('\n');
    AtomicFiles.writeString(dir.resolve(COMPLETE), list.toString());
    long t2 = System.nanoTime();
    progress.finish();
    return new RunSummary(progress.images(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, progress.firstBatchImages(),
        progress.firstBatchSeconds());
  }

  private void labelShard(Path input, Path out, Path statsFile, List<Teacher> loaded, ImagePreprocessor pre,
      List<LabelMaker> makers, ProgressLine progress) throws IOException {
    Map<String, TaskStatistics> stats = new LinkedHashMap<>();
    for (Teacher t : loaded) stats.put(t.task().configName(), TaskStatistics.of(t.task()));
    // Records stream into the shard's hidden temporary file; only commit() gives it its name.
    try (TFRecordReader reader = TFRecordReader.open(input); TFRecordWriter writer = TFRecordWriter.create(out, Compression.NONE)) {
      List<UnlabelledImage> batch = new ArrayList<>();
      long bytes = 0;
      long index = 0;
      while (true) {
        byte[] record = reader.read();
        if (record != null) {
          batch.add(UnlabelledImage.parse(record, input + ": record " + index++));
          bytes += record.length + 16L; // framing: length, its CRC, data CRC
        }
        if (batch.size() == batchSize || (record == null && !batch.isEmpty())) {
          for (byte[] r : labelBatch(batch, input, index - batch.size(), loaded, pre, makers, stats)) writer.write(r);
          progress.batchDone(batch.size(), bytes);
          batch.clear();
          bytes = 0;
          afterBatch.run();
        }
        if (record == null) break;
      }
      // Statistics first: a published shard always has them (a kill between the two relabels the shard).
      AtomicFiles.writeString(statsFile, GSON.toJson(stats) + "\n");
      writer.commit();
    }
  }

  private static List<byte[]> labelBatch(List<UnlabelledImage> images, Path input, long first, List<Teacher> loaded,
      ImagePreprocessor pre, List<LabelMaker> makers, Map<String, TaskStatistics> stats) {
    int n = images.size();
    List<Tensor> batches = new ArrayList<>();
    List<MultiTaskExample.Builder> builders = new ArrayList<>();
    try {
      for (Teacher t : loaded) batches.add(newBatch(t, n));
      List<List<InputGeometry>> geometries = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        UnlabelledImage im = images.get(i);
        List<InputGeometry> g = new ArrayList<>();
        for (Teacher t : loaded) g.add(t.geometry(im.height(), im.width()));
        geometries.add(g);
        String who = input + ": record " + (first + i) + " ('" + im.sourceId() + "')";
        pre.preprocess(im.encoded(), g, batches, i, who);
        builders.add(MultiTaskExample.builder(im.encoded(), im.format(), im.height(), im.width()).sourceId(im.sourceId()));
      }
      for (int k = 0; k < loaded.size(); k++) {
        Teacher t = loaded.get(k);
        TaskStatistics st = stats.get(t.task().configName());
        int f = t.fixedBatchSize();
        if (f == 0) {
          try (Teacher.Outputs out = t.run(batches.get(k), n)) {
            for (int i = 0; i < n; i++) makers.get(k).label(out, i, geometries.get(i).get(k), builders.get(i), st);
          }
          continue;
        }
        // A teacher whose input has a static batch size f: chunks of f images, the last one
        // padded with zero images whose outputs are dropped.
        for (int c = 0; c < n; c += f) {
          int m = Math.min(f, n - c);
          try (Tensor chunk = newBatch(t, f)) {
            for (int i = 0; i < m; i++) copyRow(batches.get(k), c + i, chunk, i);
            try (Teacher.Outputs out = t.run(chunk, f)) {
              for (int i = 0; i < m; i++) makers.get(k).label(out, i, geometries.get(c + i).get(k), builders.get(c + i), st);
            }
          }
        }
      }
    } finally {
      for (Tensor b : batches) b.close();
    }
    List<byte[]> out = new ArrayList<>();
    for (MultiTaskExample.Builder b : builders) out.add(b.build().toByteArray());
    return out;
  }

  /** A zeroed {@code [rows, S, S, 3]} input batch of the teacher's type (new tensors are not zeroed). */
  private static Tensor newBatch(Teacher t, int rows) {
    Shape s = Shape.of(rows, t.inputSize(), t.inputSize(), 3);
    return t.uint8Input() ? TUint8.tensorOf(NdArrays.ofBytes(s)) : TFloat32.tensorOf(NdArrays.ofFloats(s));
  }

  private static void copyRow(Tensor from, int fromRow, Tensor to, int toRow) {
    if (from instanceof TFloat32 f) f.get(fromRow).copyTo(((TFloat32) to).get(toRow));
    else ((TUint8) from).get(fromRow).copyTo(((TUint8) to).get(toRow));
  }

  private Path shard(Path dir, int i, int n) {
    return ShardedTFRecordWriter.shardName(dir.resolve(outputPrefix), i, n);
  }

  private static Path statsFile(Path dir, Path shard) {
    return dir.resolve(STATS_DIR).resolve(shard.getFileName() + ".json");
  }

  private static Map<String, TaskStatistics> readStats(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + " is missing: it is written before its shard; delete the shard to relabel it");
    }
    var type = new com.google.gson.reflect.TypeToken<LinkedHashMap<String, TaskStatistics>>() {}.getType();
    Map<String, TaskStatistics> m = GSON.fromJson(Files.readString(file), type);
    return m;
  }

  private String settings(List<Path> inputs) {
    StringBuilder s = new StringBuilder("# what the shards of this directory were labelled from (PseudoLabel)\n");
    s.append("batch_size = ").append(batchSize).append("\noutput_prefix = ").append(outputPrefix).append("\n\n[inputs]\n");
    for (Path p : inputs) s.append(p.toAbsolutePath().normalize()).append('\n');
    for (SavedModelTeacher t : teachers) s.append("\n[teacher]\n").append(t.settings());
    return s.toString();
  }

  private void checkSettings(Path dir, String settings) throws IOException {
    Path file = dir.resolve(SETTINGS);
    boolean anyShard;
    try (Stream<Path> s = Files.list(dir)) {
      anyShard = s.anyMatch(p -> p.getFileName().toString().startsWith(outputPrefix + "-"));
    }
    if (anyShard && Files.isRegularFile(file)) {
      String old = Files.readString(file, StandardCharsets.UTF_8);
      if (!old.equals(settings)) {
        throw new IllegalStateException(name + ": " + dir + " holds pseudo-labels of other inputs or teacher settings ("
            + file + " differs); delete the directory to relabel, or restore the settings");
      }
      return;
    }
    AtomicFiles.writeString(file, settings);
  }

  /** Removes hidden temporary files a killed run left behind (this stage is their only writer). */
  private static void deleteTemporaries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String f = p.getFileName().toString();
        if (f.startsWith(".") && f.endsWith(".tmp")) Files.deleteIfExists(p);
      }
    }
  }
}
