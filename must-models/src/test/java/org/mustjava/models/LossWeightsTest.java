package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.ConfigException;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;

/** The MuST loss-weight rule, per task and as the map {@code MustLossWeights} computes from recipes. */
class LossWeightsTest {
  @Test
  void ruleMatchesHandComputedValues() {
    // The paper's recipes: student batch 256, lr 0.32; ImageNet teacher 2048, 0.8: 204.8 / 655.36.
    assertEquals(0.3125, LossWeights.forTask(256, 0.32, 2048, 0.8), 1e-12);
    assertEquals(1.0, LossWeights.forTask(256, 0.32, 256, 0.32), 1e-12);
    assertEquals(2.0, LossWeights.forTask(256, 0.32, 64, 0.16), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> LossWeights.forTask(0, 0.32, 64, 0.16));
  }

  @Test
  void mapFromRecipesWithFixedOverridesInTaskOrder() {
    Map<String, Double> w = LossWeights.forTasks(List.of("classification", "detection", "depth"), 256, 0.32,
        Map.of("classification", 2048, "detection", 256), Map.of("classification", 0.8, "detection", 0.32),
        Map.of("depth", 0.5));
    assertEquals(List.of("classification", "detection", "depth"), List.copyOf(w.keySet()));
    assertEquals(0.3125, w.get("classification"), 1e-12);
    assertEquals(1.0, w.get("detection"), 1e-12);
    assertEquals(0.5, w.get("depth"), 0);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LossWeights.forTasks(
        List.of("segmentation"), 256, 0.32, Map.of(), Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("'segmentation' needs its teacher's recipe"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LossWeights.forTasks(
        List.of("segmentation"), 256, 0.32, Map.of(), Map.of(), Map.of("depht", 1.0)));
    assertTrue(e.getMessage().contains("'depht'"), e.getMessage());
  }

  /**
   * Unscoped recipe bindings reach a model built in any scope (a student stage's), and the
   * operative config shows the computed weights.
   */
  @Test
  void configComputesTheWeightsForAScopedStudentAndShowsThem() {
    String text = """
        CLS_BATCH = 2048
        CLS_LR = 0.8
        student/MultiTaskModel.backbone = @ResNet()
        student/MultiTaskModel.heads = [@ClassificationHead(), @SegmentationHead()]
        student/MultiTaskModel.loss_weights = @MustLossWeights()
        ResNet.depth = 18
        ClassificationHead.num_classes = 5
        SegmentationHead.num_classes = 3
        MustLossWeights.tasks = ['classification', 'segmentation']
        MustLossWeights.student_batch = 256
        MustLossWeights.student_learning_rate = 0.32
        MustLossWeights.teacher_batches = {'classification': %CLS_BATCH, 'segmentation': 256}
        MustLossWeights.teacher_learning_rates = {'classification': %CLS_LR, 'segmentation': 0.16}
        """;
    var config = new ConfigLoader(ConfigRegistry.fromServices()).parseString("w.conf", text).build();
    Injector injector = new Injector(config);
    MultiTaskModel model = injector.create(MultiTaskModel.class, "student");
    assertEquals(0.3125, model.lossWeight("classification"), 1e-12);
    assertEquals(0.5, model.lossWeight("segmentation"), 1e-12);
    String operative = injector.operativeConfig();
    assertTrue(operative.contains("# Parameters for student/MustLossWeights:\n# " + "=".repeat(78)
        + "\n# Returns: {'classification': 0.3125, 'segmentation': 0.5}\n"), operative);
    // A task the model does not have is an error naming it.
    var bad = new ConfigLoader(ConfigRegistry.fromServices())
        .parseString("w.conf", text + "MustLossWeights.tasks = ['classification', 'detection']\n").build();
    ConfigException e = assertThrows(ConfigException.class,
        () -> new Injector(bad).create(MultiTaskModel.class, "student"));
    assertTrue(e.getMessage().contains("'detection'"), e.getMessage());
  }
}
