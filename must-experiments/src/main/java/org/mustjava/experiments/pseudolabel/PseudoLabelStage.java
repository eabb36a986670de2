package org.mustjava.experiments.pseudolabel;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.tfrecord.ShardedTFRecordWriter;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.mustjava.experiments.RunContext;
import org.mustjava.experiments.stages.Stage;

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
 *
 * <p>{@code engine = 'beam'} labels in an Apache Beam pipeline instead ({@link
 * BeamPseudoLabelPipeline}): the same records and files, but not shard for shard, no {@code stats/}
 * and no resuming by shard (see {@link #runBeam}).
 */
public final class PseudoLabelStage implements Stage {
  public static final String COMPLETE = "COMPLETE";
  public static final String SETTINGS = "settings.txt";
  public static final String LABEL_STATS = "label_stats.json";
  public static final String STATS_DIR = "stats";
  public static final String ENGINE_LOCAL = "local";
  public static final String ENGINE_BEAM = "beam";
  /** Where the Beam engine's pipeline writes, below the stage directory, before the stage publishes. */
  static final String BEAM_OUTPUT = ".beam-output";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

  private final String name;
  private final List<String> inputFiles;
  private final List<SavedModelTeacher> teachers;
  private final int batchSize;
  private final String outputPrefix;
  private final String engine;
  private final List<String> beamOptions;
  private Runnable afterBatch = () -> {};

  /**
   * @param name output directory below the model directory
   * @param inputFiles TFRecord file patterns of the unlabelled images (relative: to the model
   *     directory); their labels, if any, are ignored
   * @param teachers e.g. {@code [@cls/SavedModelTeacher(), @det/SavedModelTeacher()]}, at most one per task
   * @param batchSize images per teacher call
   * @param outputPrefix shard names: {@code <output_prefix>-00000-of-00008}
   * @param engine {@code 'local'}: this process, shard by shard; {@code 'beam'}: an Apache Beam
   *     pipeline ({@link BeamPseudoLabelPipeline}) on the runner {@code beam_options} choose; the
   *     same records (a shard's records may sit in another shard, in another order)
   * @param beamOptions Beam pipeline options for the {@code 'beam'} engine, e.g. {@code
   *     ['--runner=DirectRunner', '--targetParallelism=2']} (default runner: DirectRunner); not part
   *     of the stage's fingerprint, as they do not change the records
   */
  @Configurable("PseudoLabel")
  public PseudoLabelStage(
      @Default("'pseudo_labels'") String name,
      List<String> inputFiles,
      List<SavedModelTeacher> teachers,
      @Default("8") int batchSize,
      @Default("'train'") String outputPrefix,
      @Default("'local'") String engine,
      @Default("[]") List<String> beamOptions) {
    if (name.isBlank() || Path.of(name).isAbsolute() || name.contains("..")) {
      throw new IllegalArgumentException("PseudoLabel.name must be a relative directory name: '" + name + "'");
    }
    if (inputFiles.isEmpty()) throw new IllegalArgumentException("PseudoLabel.input_files is empty");
    if (teachers.isEmpty()) throw new IllegalArgumentException("PseudoLabel.teachers is empty");
    Set<LabelType> tasks = new HashSet<>();
    for (SavedModelTeacher t : teachers) {
      if (!tasks.add(t.task())) {
        throw new IllegalArgumentException("PseudoLabel.teachers has two " + t.task().name()
            + " teachers; a record holds one label per task");
      }
    }
    if (batchSize < 1) throw new IllegalArgumentException("PseudoLabel.batch_size must be >= 1, got " + batchSize);
    if (outputPrefix.isBlank() || outputPrefix.contains("/") || outputPrefix.startsWith(".")) {
      throw new IllegalArgumentException("PseudoLabel.output_prefix must be a plain file name prefix: '" + outputPrefix + "'");
    }
    if (!ENGINE_LOCAL.equals(engine) && !ENGINE_BEAM.equals(engine)) {
      throw new IllegalArgumentException("PseudoLabel.engine must be 'local' or 'beam', got '" + engine + "'");
    }
    if (ENGINE_LOCAL.equals(engine) && !beamOptions.isEmpty()) {
      throw new IllegalArgumentException("PseudoLabel.beam_options " + beamOptions + " are set but PseudoLabel.engine is 'local'");
    }
    this.engine = engine;
    this.beamOptions = List.copyOf(beamOptions);
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
   * {@code Stage} declares this method; on its own the stage resumes the same way). The Beam
   * engine's rerun starts its pipeline again from the first image (its shards are not published
   * one by one).
   */
  public boolean resumable() {
    return true;
  }

  @Override
  public java.util.Set<String> fingerprintExcludes() {
    return java.util.Set.of("PseudoLabel.beam_options");
  }

  /** Called after every written batch (tests slow the stage down with it to kill it mid-shard). */
  PseudoLabelStage afterBatch(Runnable r) {
    this.afterBatch = r;
    return this;
  }

  /** A dry run builds no graph here: the teachers' graphs are their SavedModels, which earlier stages export. */
  @Override
  public List<String> buildGraphs(RunContext context) {
    return List.of("not built in a dry run: it loads the teachers' SavedModels ("
        + String.join(", ", teachers.stream().map(SavedModelTeacher::directory).toList())
        + "), exported by earlier stages or given");
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
    if (ENGINE_BEAM.equals(engine)) return runBeam(modelDir, dir, inputs, log);
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
      try (BatchLabeller labeller = BatchLabeller.load(teachers, modelDir,
          (t, loaded) -> log.println(name + ": " + t.description() + ": " + loaded.optimization()))) {
        t1 = System.nanoTime();
        progress.restartClock();
        for (int i = 0; i < n; i++) {
          Path out = shard(dir, i, n);
          if (Files.isRegularFile(out)) continue;
          labelShard(inputs.get(i), out, statsFile(dir, out), labeller, progress);
          progress.shardDone();
        }
      }
    }
    List<Map<String, TaskStatistics>> perShard = new ArrayList<>();
    for (int i = 0; i < n; i++) perShard.add(readStats(statsFile(dir, shard(dir, i, n))));
    publish(dir, n, perShard);
    long t2 = System.nanoTime();
    progress.finish();
    return new RunSummary(progress.images(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, progress.firstBatchImages(),
        progress.firstBatchSeconds());
  }

  /**
   * The Beam engine: the pipeline writes below a hidden directory of the stage's; its shards are
   * then renamed into place and {@code COMPLETE} written last. A rerun without {@code COMPLETE}
   * removes what an interrupted run left (the pipeline output and any shards) and runs again.
   */
  private RunSummary runBeam(Path modelDir, Path dir, List<Path> inputs, PrintStream log) throws IOException {
    Files.createDirectories(dir);
    checkSettings(dir, settings(inputs));
    Path tmp = dir.resolve(BEAM_OUTPUT);
    deleteRecursively(tmp);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (p.getFileName().toString().startsWith(outputPrefix + "-")) Files.delete(p);
      }
    }
    Files.createDirectories(tmp);
    int n = inputs.size();
    log.println(name + ": Beam pipeline, options " + beamOptions + ", " + n + " input files");
    long t0 = System.nanoTime();
    BeamPseudoLabelPipeline.run(beamOptions, inputs, inputFiles.toString(), teachers, modelDir, batchSize, tmp,
        outputPrefix);
    long t1 = System.nanoTime();
    long images = 0; // the summary's labelSeconds includes the workers' teacher loading (in @Setup)
    for (int i = 0; i < n; i++) {
      Path out = shard(dir, i, n);
      Path written = shard(tmp, i, n);
      if (!Files.isRegularFile(written)) throw new IOException(name + ": the Beam pipeline did not write " + written);
      Files.move(written, out, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    Map<String, TaskStatistics> stats = BeamPseudoLabelPipeline.MergeStatistics.merge(
        List.of(Files.readString(tmp.resolve(BeamPseudoLabelPipeline.STATISTICS_FILE))));
    publish(dir, n, List.of(stats));
    deleteRecursively(tmp);
    for (TaskStatistics st : stats.values()) images = Math.max(images, st.images);
    log.println(name + ": " + images + " images in " + String.format("%.1f", (t1 - t0) / 1e9) + " s ("
        + String.format("%.1f", images / ((t1 - t0) / 1e9)) + " images/s, teacher loading included)");
    return new RunSummary(images, 0, (t1 - t0) / 1e9, 0, 0);
  }

  /** {@code label_stats.json} (the sum of {@code parts}), then {@code COMPLETE} listing the shards. */
  private void publish(Path dir, int n, List<Map<String, TaskStatistics>> parts) throws IOException {
    Map<String, TaskStatistics> total = new LinkedHashMap<>();
    for (SavedModelTeacher t : teachers) total.put(t.task().name(), TaskStatistics.of(t.task()));
    for (Map<String, TaskStatistics> s : parts) {
      for (var e : total.entrySet()) {
        TaskStatistics part = s.get(e.getKey());
        if (part != null) e.getValue().add(part);
      }
    }
    total.values().forEach(TaskStatistics::summarise);
    AtomicFiles.writeString(dir.resolve(LABEL_STATS), GSON.toJson(total) + "\n");
    StringBuilder list = new StringBuilder();
    for (int i = 0; i < n; i++) list.append(shard(dir, i, n).getFileName()).append('\n');
    AtomicFiles.writeString(dir.resolve(COMPLETE), list.toString());
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
    }
  }

  private void labelShard(Path input, Path out, Path statsFile, BatchLabeller labeller, ProgressLine progress)
      throws IOException {
    Map<String, TaskStatistics> stats = labeller.newStatistics();
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
          long first = index - batch.size();
          List<UnlabelledImage> images = batch;
          IntFunction<String> who = i -> input + ": record " + (first + i) + " ('" + images.get(i).sourceId() + "')";
          for (byte[] r : labeller.label(batch, who, stats)) writer.write(r);
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
    // Only the Beam engine says so: its shards hold the same records as the local engine's, but
    // not shard for shard, so the two must not be mixed in one directory.
    if (ENGINE_BEAM.equals(engine)) s.append("\nengine = beam\n");
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
