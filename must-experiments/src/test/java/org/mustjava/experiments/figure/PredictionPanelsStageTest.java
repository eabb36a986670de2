package org.mustjava.experiments.figure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.config.Config;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.data.synthetic.SceneDomains;
import org.mustjava.data.synthetic.SyntheticDatasetWriter;
import org.mustjava.experiments.bench.InitialisedTeacherExport;
import org.mustjava.models.tasks.MultiTaskTrainingTask;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * The stage end to end on a tiny five-head model (ResNet-18 x0.25 + FPN, 64 px) exported as the
 * trainer exports a student, one signature per head: the panels of held-out synthetic scenes, their
 * size and tiles, the TensorBoard images, determinism, and a predictor whose output is missing.
 */
class PredictionPanelsStageTest {
  static final int S = 64;
  @TempDir static Path modelDir;

  static final String MODEL = """
      MultiTaskTrainingTask.model = @MultiTaskModel()
      MultiTaskTrainingTask.train_files = ['unused']
      MultiTaskTrainingTask.train_pipeline = @Pipeline
      MultiTaskTrainingTask.serving_image_size = 64
      MultiTaskTrainingTask.serving_batch_size = 2
      MultiTaskModel.backbone = @ResNet()
      MultiTaskModel.decoder = @FPN()
      MultiTaskModel.heads = [@ClassificationHead(), @DetectionHead(), @SegmentationHead(), @DepthHead(), @NormalsHead()]
      ResNet.depth = 18
      ResNet.width_multiplier = 0.25
      FPN.min_level = 2
      FPN.max_level = 5
      FPN.num_filters = 16
      ClassificationHead.num_classes = 10
      SegmentationHead.num_classes = 10
      SegmentationHead.hidden_filters = 16
      DepthHead.hidden_filters = 16
      DepthHead.activation = 'softplus'
      NormalsHead.hidden_filters = 16
      DetectionHead.num_classes = 9
      AnchorGenerator.max_level = 5
      AnchorGenerator.anchor_size = 4.0
      RpnHead.num_convs = 1
      RpnHead.num_filters = 16
      ProposalGenerator.eval_pre_nms_top_k = 100
      ProposalGenerator.eval_post_nms_top_k = 16
      MultilevelRoiAligner.max_level = 4
      MultilevelRoiAligner.canonical_size = 32.0
      MultilevelRoiAligner.canonical_level = 3
      FastRcnnBoxHead.num_convs = 1
      FastRcnnBoxHead.num_filters = 16
      FastRcnnBoxHead.fc_dims = 32
      DetectionGenerator.max_detections_per_image = 10
      """;

  /** One predictor per head of the student's export; detection keeps every box (the model is untrained). */
  static final String STAGE = """
      PredictionPanels.input_files = ['data/eval-*']
      PredictionPanels.num_images = 3
      PredictionPanels.predictors = [@cls/SavedModelTeacher(), @det/SavedModelTeacher(), @seg/SavedModelTeacher(),
                                     @depth/SavedModelTeacher(), @normals/SavedModelTeacher()]
      PredictionPanels.class_names = ['background', 'floor', 'wall', 'ball', 'cube', 'slab', 'tower', 'pillar', 'drum', 'log']
      PredictionPanels.score_threshold = 0.0
      PredictionPanels.tile_size = 128
      # The export takes at most 2 images per call (serving_batch_size): 3 images go as 2 + 1.
      PredictionPanels.batch_size = 2
      SavedModelTeacher.directory = 'student/export/final'
      cls/SavedModelTeacher.task = 'classification'
      det/SavedModelTeacher.task = 'detection'
      det/SavedModelTeacher.score_threshold = 0.0
      seg/SavedModelTeacher.task = 'segmentation'
      depth/SavedModelTeacher.task = 'depth'
      depth/SavedModelTeacher.depth_type = 'metric'
      normals/SavedModelTeacher.task = 'normals'
      """;

  @BeforeAll
  static void exportStudentAndWriteScenes() throws Exception {
    MultiTaskTrainingTask task = create(MultiTaskTrainingTask.class, MODEL);
    InitialisedTeacherExport.export(task, modelDir.resolve("student/work"), modelDir.resolve("student/export/final"), 5);
    new SyntheticDatasetWriter(new org.mustjava.data.synthetic.SceneGenerator(SceneDomains.named("indoor"), S, S, 9, 1, 6, 2),
        java.util.Set.of(), 1).write(modelDir.resolve("data/eval"), 4, 1, org.mustjava.core.io.Compression.NONE);
  }

  static <T> T create(Class<T> type, String config) {
    Config c = new ConfigLoader(ConfigRegistry.fromServices()).parseString("test.conf", config).build();
    return new Injector(c).create(type);
  }

  private static String run(PredictionPanelsStage stage) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    stage.run(modelDir, new PrintStream(log, true, StandardCharsets.UTF_8));
    return log.toString(StandardCharsets.UTF_8);
  }

  private static List<Path> eventFiles(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
    }
  }

  @Test
  void panelsOfEveryHeadAsPngsAndTensorBoardImages() throws Exception {
    PredictionPanelsStage stage = create(PredictionPanelsStage.class, STAGE);
    String log = run(stage);
    Path dir = modelDir.resolve("figure1");
    // 4 scenes in the file, 3 asked for.
    assertFalse(Files.exists(dir.resolve("panel_003.png")), log);
    // 64 px scenes in 128 px tiles: input, detection, segmentation, depth, normals + the caption.
    int tile = 128;
    int width = 5 * tile + 4 * PanelRenderer.GAP;
    int height = PanelRenderer.TITLE_HEIGHT + tile + PanelRenderer.CAPTION_HEIGHT;
    List<byte[]> pngs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] png = Files.readAllBytes(dir.resolve(PredictionPanelsStage.panelFile(i)));
      pngs.add(png);
      BufferedImage im = ImageIO.read(new ByteArrayInputStream(png));
      assertEquals(width, im.getWidth(), "panel " + i);
      assertEquals(height, im.getHeight(), "panel " + i);
      int y = PanelRenderer.TITLE_HEIGHT + tile / 2;
      for (int k = 1; k < 5; k++) {
        // Tiles are separated by background gaps, and each tile is drawn (not background).
        assertEquals(PanelRenderer.BACKGROUND, im.getRGB(k * (tile + PanelRenderer.GAP) - 1, y) & 0xffffff);
      }
      // The normals tile holds colours of unit vectors: |2c/255 - 1| = 1 up to 8-bit rounding.
      int x0 = 4 * (tile + PanelRenderer.GAP);
      for (int yy = PanelRenderer.TITLE_HEIGHT; yy < PanelRenderer.TITLE_HEIGHT + tile; yy += 7) {
        for (int xx = x0; xx < x0 + tile; xx += 7) {
          int c = im.getRGB(xx, yy) & 0xffffff;
          double r = 2 * ((c >> 16) & 0xff) / 255.0 - 1;
          double g = 2 * ((c >> 8) & 0xff) / 255.0 - 1;
          double b = 2 * (c & 0xff) / 255.0 - 1;
          assertEquals(1.0, Math.sqrt(r * r + g * g + b * b), 0.02, "normal colour " + Integer.toHexString(c));
        }
      }
      // The depth tile spans the colour scale: its nearest pixel is yellow, its farthest purple.
      java.util.Set<Integer> depthColours = new java.util.HashSet<>();
      int d0 = 3 * (tile + PanelRenderer.GAP);
      for (int yy = PanelRenderer.TITLE_HEIGHT; yy < PanelRenderer.TITLE_HEIGHT + tile; yy++) {
        for (int xx = d0; xx < d0 + tile; xx++) depthColours.add(im.getRGB(xx, yy) & 0xffffff);
      }
      assertTrue(depthColours.contains(0xfde725) && depthColours.contains(0x440154), "depth colours " + depthColours.size());
    }
    // One event file with the three panels, byte for byte.
    List<Path> events = eventFiles(dir);
    assertEquals(1, events.size());
    List<String> tags = new ArrayList<>();
    for (byte[] record : TFRecordReader.readAll(events.get(0))) {
      Event e = Event.parseFrom(record);
      if (!e.hasSummary()) continue;
      for (Summary.Value v : e.getSummary().getValueList()) {
        if (!v.hasImage()) continue;
        int i = tags.size();
        tags.add(v.getTag());
        assertArrayEquals(pngs.get(i), v.getImage().getEncodedImageString().toByteArray(), v.getTag());
        assertEquals(height, v.getImage().getHeight());
        assertEquals(width, v.getImage().getWidth());
      }
    }
    assertEquals(List.of("figure1/panel_000", "figure1/panel_001", "figure1/panel_002"), tags);
    // The export was loaded once for its five heads.
    assertTrue(log.contains("one graph for 5 signatures"), log);

    // A rerun draws the same pixels and replaces the event file.
    run(create(PredictionPanelsStage.class, STAGE));
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(pngs.get(i), Files.readAllBytes(dir.resolve(PredictionPanelsStage.panelFile(i))), "panel " + i);
    }
    assertEquals(1, eventFiles(dir).size());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(f -> f.startsWith(".")).toList());
    }
  }

  @Test
  void onlyThePredictedTasksGetTiles() throws Exception {
    PredictionPanelsStage stage = create(PredictionPanelsStage.class, """
        PredictionPanels.name = 'depth_only'
        PredictionPanels.input_files = ['data/eval-*']
        PredictionPanels.num_images = 1
        PredictionPanels.predictors = [@SavedModelTeacher()]
        PredictionPanels.tile_size = 64
        SavedModelTeacher.task = 'depth'
        SavedModelTeacher.directory = 'student/export/final'
        SavedModelTeacher.depth_type = 'metric'
        # The graph as exported (the shared-session path without optimisation; and faster here).
        SavedModelTeacher.optimize = False
        """);
    run(stage);
    BufferedImage im = ImageIO.read(modelDir.resolve("depth_only/panel_000.png").toFile());
    assertEquals(2 * S + PanelRenderer.GAP, im.getWidth());
    assertEquals(PanelRenderer.TITLE_HEIGHT + S, im.getHeight());
  }

  @Test
  void aPredictorWhoseExportLacksItsOutputIsAClearError() {
    PredictionPanelsStage stage = create(PredictionPanelsStage.class, """
        PredictionPanels.name = 'broken'
        PredictionPanels.input_files = ['data/eval-*']
        PredictionPanels.predictors = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'normals'
        SavedModelTeacher.directory = 'student/export/final'
        SavedModelTeacher.outputs = {'normals': 'surface_normals'}
        """);
    String m = assertThrows(IllegalArgumentException.class, () -> run(stage)).getMessage();
    assertTrue(m.contains("PredictionPanels.predictors") && m.contains("student/export/final")
        && m.contains("no output 'surface_normals'") && m.contains("normals"), m);
    assertFalse(Files.exists(modelDir.resolve("broken/panel_000.png")));
    // Two predictors of one task are refused when the stage is configured.
    String two = assertThrows(RuntimeException.class, () -> create(PredictionPanelsStage.class, """
        PredictionPanels.input_files = ['data/eval-*']
        PredictionPanels.predictors = [@a/SavedModelTeacher(), @b/SavedModelTeacher()]
        SavedModelTeacher.task = 'depth'
        SavedModelTeacher.directory = 'student/export/final'
        """)).getMessage();
    assertTrue(two.contains("two depth predictors"), two);
  }
}
