package org.mustjava.experiments.pseudolabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.experiments.Main;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Surface normals as a pseudo-label task: a {@code normals} teacher's map is stored in the
 * ground-truth feature ({@code image/normals/encoded}) at image resolution as unit vectors, and a
 * student with a {@code NormalsHead} trains on it.
 */
class NormalsPseudoLabelTest {
  static final int S = 32;
  static final int[] RED = {255, 0, 0};
  static final int[] DARK = {20, 20, 20};
  static final int[] PALE = {200, 220, 240};
  @TempDir Path dir;

  /** normals [B, S, S, 3] = relu(image) * 3 (not unit length: the stage normalises). */
  private static Path reluTeacher(Path where, String outputName) {
    return TestTeachers.export(where, S, "serving_default",
        (tf, image) -> Map.of(outputName, tf.math.mul(tf.nn.relu(image), tf.constant(3f))));
  }

  private static float[] unit(float[] v) {
    double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    return new float[] {(float) (v[0] / n), (float) (v[1] / n), (float) (v[2] / n)};
  }

  private static float[] normalisedRelu(int[] rgb) {
    float[] v = new float[3];
    for (int c = 0; c < 3; c++) v[c] = Math.max(0f, Fixtures.normalised(rgb[c], c));
    return v;
  }

  @Test
  void normalsAreStoredAtImageResolutionAsUnitVectorsWithZeroForNoLabel() throws Exception {
    reluTeacher(dir.resolve("nrm"), "normals");
    // 24 x 48: the image fills the top 16 x 32 of the 32 x 32 input and is resized back.
    int h = 24;
    int w = 48;
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(h, w, RED, DARK, PALE), h, w, "wide")));
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'normals'
        SavedModelTeacher.directory = 'nrm'
        """);
    Fixtures.run(stage, dir);
    MultiTaskExample e = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001")).get(0);
    float[] n = e.normals().orElseThrow();
    assertEquals(h * w * 3, n.length);
    float[] red = unit(normalisedRelu(RED));
    float[] pale = unit(normalisedRelu(PALE));
    // Every channel of the dark stripe is below the ImageNet mean: relu gives 0, "no label".
    for (float v : normalisedRelu(DARK)) assertEquals(0f, v);
    int zero = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = 3 * (y * w + x);
        double len = Math.sqrt(n[i] * n[i] + n[i + 1] * n[i + 1] + n[i + 2] * n[i + 2]);
        assertTrue(len == 0 || Math.abs(len - 1) < 1e-5, "pixel " + y + "," + x + " has length " + len);
        if (len == 0) zero++;
        if (Math.abs(x - 16) <= 2 || Math.abs(x - 32) <= 2) continue; // bilinear blends at the stripe edges
        float[] expected = x < 16 ? red : x < 32 ? new float[3] : pale;
        for (int k = 0; k < 3; k++) assertEquals(expected[k], n[i + k], 1e-5, "pixel " + y + "," + x + " channel " + k);
      }
    }
    JsonObject stats = JsonParser.parseString(Files.readString(dir.resolve("pseudo_labels/label_stats.json")))
        .getAsJsonObject().getAsJsonObject("normals");
    assertEquals(h * w, stats.get("pixels").getAsLong());
    assertEquals(zero, stats.get("ignoredPixels").getAsLong());
    assertTrue(zero >= h * 12, "the dark stripe is unlabelled: " + zero);
  }

  @Test
  void aNormalsTeacherWithoutItsOutputNamesTheDirectoryAndTheOutput() throws Exception {
    reluTeacher(dir.resolve("teachers/nrm"), "surface");
    Fixtures.writeRecords(dir.resolve("in/images-00000-of-00001"),
        List.of(Fixtures.record(Fixtures.stripes(8, 8, RED), 8, 8, "x")));
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'normals'
        SavedModelTeacher.directory = 'teachers/nrm'
        """);
    String m = assertThrows(IllegalArgumentException.class, () -> Fixtures.run(stage, dir)).getMessage();
    assertTrue(m.contains("teacher 'teachers/nrm' (normals)") && m.contains("no output 'normals'") && m.contains("surface"), m);
    // A map that is not 3 channels is refused as well.
    TestTeachers.export(dir.resolve("teachers/grey"), S, "serving_default", (tf, image) -> Map.of("normals", image(tf, image)));
    PseudoLabelStage grey = Fixtures.create(PseudoLabelStage.class, """
        PseudoLabel.name = 'grey'
        PseudoLabel.input_files = ['in/images-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        SavedModelTeacher.task = 'normals'
        SavedModelTeacher.directory = 'teachers/grey'
        """);
    m = assertThrows(IllegalArgumentException.class, () -> Fixtures.run(grey, dir)).getMessage();
    assertTrue(m.contains("teacher 'teachers/grey' (normals)") && m.contains("float32 [batch, height, width, 3]"), m);
  }

  /** The first channel only: [B, S, S, 1]. */
  private static Operand<TFloat32> image(Ops tf, Operand<TFloat32> image) {
    return tf.slice(image, tf.constant(new int[] {0, 0, 0, 0}), tf.constant(new int[] {-1, -1, -1, 1}));
  }

  private static final Pattern LOSS = Pattern.compile("step (\\d+)/\\d+ normals=([0-9.eE+-]+)");

  /**
   * Synthetic scenes without labels -> pseudo normals from a teacher that maps colour to a normal
   * -> a student with only a NormalsHead, trained on them through the experiment launcher: its
   * normals loss starts high (the labels are there, not "no label") and falls.
   */
  @Test
  void aStudentWithANormalsHeadTrainsOnPseudoNormals() throws Exception {
    // normals = (r, g, b - 3) of the normalised image, made unit length by the stage: never zero.
    TestTeachers.export(dir.resolve("teachers/normals"), S, "serving_default",
        (tf, image) -> Map.of("normals", tf.math.sub(image, tf.constant(new float[] {0f, 0f, 3f}))));
    Path config = dir.resolve("normals_student.conf");
    Files.writeString(config, """
        Launcher.experiment = @Stages()
        Stages.stages = [@SyntheticData(), @PseudoLabel(), @TrainStage()]
        SyntheticData.directory = 'data/unlabelled'
        SyntheticData.train = @train/SyntheticDataset
        SyntheticData.eval = @eval/SyntheticDataset
        SyntheticDataset.domain = @SceneDomain()
        SceneDomain.preset = 'indoor'
        SyntheticDataset.image_size = 32
        SyntheticDataset.labels = 'none'
        SyntheticDataset.threads = 1
        train/SyntheticDataset.num_scenes = 16
        train/SyntheticDataset.seed = 1
        eval/SyntheticDataset.num_scenes = 4
        eval/SyntheticDataset.seed = 2

        PseudoLabel.input_files = ['data/unlabelled/train-*']
        PseudoLabel.teachers = [@SavedModelTeacher()]
        PseudoLabel.batch_size = 8
        SavedModelTeacher.task = 'normals'
        SavedModelTeacher.directory = 'teachers/normals'

        TrainStage.name = 'student'
        TrainStage.task = @MultiTaskTrainingTask()
        TrainStage.trainer = @Trainer()
        MultiTaskTrainingTask.model = @MultiTaskModel()
        MultiTaskTrainingTask.train_files = ['pseudo_labels/train-*']
        MultiTaskTrainingTask.train_pipeline = @Pipeline
        MultiTaskTrainingTask.serving_image_size = 32
        MultiTaskModel.backbone = @ResNet()
        MultiTaskModel.decoder = @FPN()
        MultiTaskModel.heads = [@NormalsHead()]
        ResNet.depth = 18
        ResNet.width_multiplier = 0.25
        FPN.min_level = 2
        FPN.max_level = 5
        FPN.num_filters = 16
        NormalsHead.hidden_filters = 16
        Pipeline.tasks = ['normals']
        Pipeline.image_size = 32
        Pipeline.batch_size = 8
        Pipeline.parallelism = 1
        Pipeline.seed = 3
        Pipeline.training = True
        Trainer.steps = 20
        Trainer.seed = 1
        Trainer.optimizer = @MomentumOptimizer()
        MomentumOptimizer.momentum = 0.9
        ConstantLearningRate.rate = 0.05
        Trainer.log_every = 1
        Trainer.summary_every = 20
        Trainer.checkpoint_every = 20
        Trainer.export_final = False
        """);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Main.run(new String[] {"--config", config.toString(), "--model_dir", dir.toString()},
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    String log = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, log);
    MultiTaskExample first = Fixtures.readExamples(dir.resolve("pseudo_labels/train-00000-of-00001")).get(0);
    assertEquals(32 * 32 * 3, first.normals().orElseThrow().length);
    // The head's loss by step (the launcher may echo a line to both streams).
    java.util.TreeMap<Integer, Double> byStep = new java.util.TreeMap<>();
    Matcher m = LOSS.matcher(log);
    while (m.find()) byStep.put(Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
    assertEquals(20, byStep.size(), log);
    List<Double> losses = new ArrayList<>(byStep.values());
    double early = mean(losses.subList(0, 5));
    double late = mean(losses.subList(15, 20));
    // The cosine loss is 1 - cos: about 1 for an untrained head, 0 where the labels are missing.
    assertTrue(early > 0.3, "early normals loss " + early + ": the pseudo normals must be read as labels\n" + losses);
    assertTrue(late < 0.5 * early, "normals loss " + early + " -> " + late + ": the student must learn them\n" + losses);
  }

  private static double mean(List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
