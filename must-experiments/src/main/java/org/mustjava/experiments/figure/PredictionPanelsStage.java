package org.mustjava.experiments.figure;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.core.io.AtomicFiles;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.core.summary.PngImages;
import org.mustjava.core.summary.SummaryWriter;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.data.tfrecord.TFRecordFiles;
import org.mustjava.experiments.RunContext;
import org.mustjava.experiments.pseudolabel.BatchLabeller;
import org.mustjava.experiments.pseudolabel.SavedModelTeacher;
import org.mustjava.experiments.pseudolabel.UnlabelledImage;
import org.mustjava.experiments.stages.Stage;

/**
 * The paper's Figure 1: one model's predictions on held-out images, drawn as one PNG panel per
 * image ({@link PanelRenderer}: the input, its boxes with class names and scores, a segmentation
 * overlay, a depth colour map with near = yellow / far = purple normalised per image, a normals
 * colour map, the top-k classes as a caption; tiles only for the tasks predicted), and the same
 * panels as TensorBoard images.
 *
 * <p>The predictors are pseudo-labelling teachers ({@link SavedModelTeacher}) run exactly as
 * pseudo-labelling runs them ({@link BatchLabeller}): the panels show what a teacher would write as
 * labels for these images (boxes after the predictor's own {@code score_threshold} and NMS, then
 * this stage's {@code score_threshold}; segmentation with low-confidence pixels ignored, drawn as
 * the bare image). Several predictors may name one SavedModel directory (the student's {@code
 * student/export/final}, one predictor per head: with {@code signature} empty each picks its
 * task's signature); it is loaded once.
 *
 * <pre>
 * Stages.stages = [..., @student/TrainStage(), @PredictionPanels()]
 * PredictionPanels.input_files = ['data/downstream/eval-*']
 * PredictionPanels.predictors = [@cls_out/SavedModelTeacher(), @det_out/SavedModelTeacher(), ...]
 * cls_out/SavedModelTeacher.task = 'classification'
 * cls_out/SavedModelTeacher.directory = 'student/export/final'
 * </pre>
 *
 * <p>Output, in {@code MODEL_DIR/<name>/}: {@code panel_000.png}, {@code panel_001.png}, ... (the
 * first {@code num_images} records of {@code input_files}, in file order) and one event file
 * ({@code events.out.tfevents.*}) with panel i as image summary {@code <name>/panel_00i} at step 0.
 * Every file appears complete or not at all (PNGs through {@link AtomicFiles}, the event file
 * written aside and renamed); a rerun replaces them. The PNGs are deterministic (same models and
 * images, same bytes); the event file holds wall times.
 */
public final class PredictionPanelsStage implements Stage {
  public static final String PANEL_PREFIX = "panel_";
  private static final String EVENTS_TMP = ".events.tmp";

  private final String name;
  private final List<String> inputFiles;
  private final int numImages;
  private final List<SavedModelTeacher> predictors;
  private final Set<LabelType> tasks;
  private final PanelRenderer renderer;
  private final int batchSize;

  /**
   * @param name output directory below the model directory
   * @param inputFiles TFRecord file patterns of held-out images (relative: to the model directory);
   *     their labels, if any, are not drawn
   * @param numImages panels to draw: the first images of the files
   * @param predictors the model's heads as teachers, at most one per task, e.g. {@code
   *     [@cls_out/SavedModelTeacher(), @det_out/SavedModelTeacher()]}
   * @param classNames class id -> name for boxes, segmentation and classification (detection ids
   *     as the records store them, 0 = background); ids beyond the list are drawn as {@code class <id>}
   * @param scoreThreshold boxes scoring below it are not drawn
   * @param topK classes in the classification caption
   * @param tileSize tiles are the image enlarged by a whole factor to at most this longest side
   * @param batchSize images per predictor call: at most the export's {@code
   *     MultiTaskTrainingTask.serving_batch_size} (the project's detection exports check it at run
   *     time; their signatures do not declare it)
   */
  @Configurable("PredictionPanels")
  public PredictionPanelsStage(
      @Default("'figure1'") String name,
      List<String> inputFiles,
      @Default("8") int numImages,
      List<SavedModelTeacher> predictors,
      @Default("[]") List<String> classNames,
      @Default("0.5") float scoreThreshold,
      @Default("3") int topK,
      @Default("256") int tileSize,
      @Default("8") int batchSize) {
    if (name.isBlank() || Path.of(name).isAbsolute() || name.contains("..")) {
      throw new IllegalArgumentException("PredictionPanels.name must be a relative directory name: '" + name + "'");
    }
    if (inputFiles.isEmpty()) throw new IllegalArgumentException("PredictionPanels.input_files is empty");
    if (numImages < 1 || numImages > 1000) {
      throw new IllegalArgumentException("PredictionPanels.num_images must be in 1..1000, got " + numImages);
    }
    if (predictors.isEmpty()) throw new IllegalArgumentException("PredictionPanels.predictors is empty");
    Set<LabelType> seen = new LinkedHashSet<>();
    for (SavedModelTeacher p : predictors) {
      if (!seen.add(p.task())) {
        throw new IllegalArgumentException("PredictionPanels.predictors has two " + p.task().name()
            + " predictors; a panel draws one prediction per task");
      }
    }
    if (topK < 1) throw new IllegalArgumentException("PredictionPanels.top_k must be >= 1, got " + topK);
    if (tileSize < 1) throw new IllegalArgumentException("PredictionPanels.tile_size must be >= 1, got " + tileSize);
    if (batchSize < 1) throw new IllegalArgumentException("PredictionPanels.batch_size must be >= 1, got " + batchSize);
    this.name = name;
    this.inputFiles = List.copyOf(inputFiles);
    this.numImages = numImages;
    this.predictors = List.copyOf(predictors);
    this.tasks = seen;
    this.renderer = new PanelRenderer(classNames, scoreThreshold, topK, tileSize);
    this.batchSize = batchSize;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void run(RunContext context) throws Exception {
    run(context.modelDir(), context.err());
  }

  /** The file of panel {@code i}. */
  public static String panelFile(int i) {
    return String.format(Locale.ROOT, "%s%03d.png", PANEL_PREFIX, i);
  }

  /** The stage on its own: {@code modelDir} resolves relative paths; returns the panels written. */
  public List<Path> run(Path modelDir, PrintStream log) throws IOException {
    Path dir = modelDir.resolve(name);
    Files.createDirectories(dir);
    List<UnlabelledImage> images = readImages(modelDir);
    List<MultiTaskExample> predicted = new ArrayList<>();
    try (BatchLabeller predictor = load(modelDir, log)) {
      for (int start = 0; start < images.size(); start += batchSize) {
        List<UnlabelledImage> batch = images.subList(start, Math.min(images.size(), start + batchSize));
        int first = start;
        predicted.addAll(predictor.predict(batch, i -> "held-out image " + (first + i) + " ('" + batch.get(i).sourceId() + "')"));
      }
    }
    // This stage is the only writer of its directory: what a killed or earlier run left goes.
    removeOldOutputs(dir);
    Path eventsTmp = dir.resolve(EVENTS_TMP);
    List<Path> panels = new ArrayList<>();
    Path eventFile;
    try (SummaryWriter summaries = new SummaryWriter(eventsTmp)) {
      for (int i = 0; i < predicted.size(); i++) {
        BufferedImage panel = renderer.render(predicted.get(i), tasks);
        byte[] png = encodePng(panel);
        Path file = dir.resolve(panelFile(i));
        AtomicFiles.write(file, png);
        panels.add(file);
        summaries.image(name + "/" + panelFile(i).replace(".png", ""),
            new PngImages.Png(png, panel.getHeight(), panel.getWidth(), 3), 0);
      }
      summaries.flush();
      eventFile = summaries.path();
    }
    Files.move(eventFile, dir.resolve(eventFile.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    Files.delete(eventsTmp);
    log.println(name + ": " + panels.size() + " panels (" + String.join(", ", PanelRenderer.tileNames(tasks))
        + (tasks.contains(LabelTypes.CLASSIFICATION) ? ", top-classes caption" : "") + ") in " + dir);
    return panels;
  }

  private BatchLabeller load(Path modelDir, PrintStream log) {
    try {
      return BatchLabeller.load(predictors, modelDir, (c, t) -> log.println(name + ": " + c.description() + ": " + t.optimization()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PredictionPanels.predictors: " + e.getMessage(), e);
    }
  }

  /** The first {@code num_images} records of the input files, in order. */
  private List<UnlabelledImage> readImages(Path modelDir) throws IOException {
    List<UnlabelledImage> images = new ArrayList<>();
    for (String pattern : inputFiles) {
      for (Path file : TFRecordFiles.expand(pattern, modelDir)) {
        try (TFRecordReader reader = TFRecordReader.open(file)) {
          long index = 0;
          byte[] record;
          while (images.size() < numImages && (record = reader.read()) != null) {
            images.add(UnlabelledImage.parse(record, file + ": record " + index++));
          }
        }
        if (images.size() == numImages) return images;
      }
    }
    if (images.isEmpty()) throw new IllegalArgumentException("PredictionPanels.input_files " + inputFiles + " hold no images");
    return images;
  }

  private static byte[] encodePng(BufferedImage image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JVM");
    return out.toByteArray();
  }

  private static void removeOldOutputs(Path dir) throws IOException {
    Path eventsTmp = dir.resolve(EVENTS_TMP);
    if (Files.isDirectory(eventsTmp)) {
      try (Stream<Path> s = Files.list(eventsTmp)) {
        for (Path p : s.toList()) Files.delete(p);
      }
      Files.delete(eventsTmp);
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String f = p.getFileName().toString();
        boolean panel = f.startsWith(PANEL_PREFIX) && f.endsWith(".png");
        boolean temporary = f.startsWith(".") && f.endsWith(".tmp");
        if (panel || temporary || f.startsWith("events.out.tfevents.")) Files.delete(p);
      }
    }
  }
}
