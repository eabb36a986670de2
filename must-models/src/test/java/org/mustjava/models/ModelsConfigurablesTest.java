package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigException;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.heads.TaskHead;
import org.mustjava.models.testing.SyntheticBatch;
import org.tensorflow.Graph;

/** Every model configurable is registered, its defaults parse, and a config composes a model. */
class ModelsConfigurablesTest {

  @Test
  void everyConfigurableIsRegistered() {
    ConfigRegistry registry = ConfigRegistry.fromServices();
    for (Class<?> c : new ModelsConfigurables().configurables()) {
      assertTrue(registry.isRegistered(c), c.getName());
    }
  }

  @Test
  void weightDecayIsConfiguredOnlyOnTheTrainer() {
    // One owner: a model-level coefficient would silently add to Trainer.weight_decay.
    ConfigRegistry registry = ConfigRegistry.fromServices();
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(registry)
        .parseString("test.conf", "MultiTaskModel.weight_decay = 1e-4\n").build());
    assertTrue(e.getMessage().contains("test.conf:1:16: error: unknown parameter 'weight_decay' of MultiTaskModel"),
        e.getMessage());
    new ConfigLoader(registry).parseString("test.conf", "Trainer.weight_decay = 1e-4\n").build();
  }

  @Test
  void aConfigComposesBackboneDecoderHeadsAndLosses() {
    String text = """
        MultiTaskModel.backbone = @ResNet()
        ResNet.depth = 18
        ResNet.width_multiplier = 0.125
        MultiTaskModel.decoder = @FPN()
        FPN.num_filters = 8
        MultiTaskModel.heads = [@ClassificationHead(), @SegmentationHead(), @DepthHead(), @NormalsHead()]
        ClassificationHead.num_classes = 3
        SegmentationHead.num_classes = 3
        SegmentationHead.hidden_filters = 8
        DepthHead.hidden_filters = 8
        DepthHead.activation = 'softplus'
        DepthHead.loss = @MetricDepthLoss()
        MetricDepthLoss.kind = 'silog'
        NormalsHead.hidden_filters = 8
        MultiTaskModel.loss_weights = {'depth': @MustLossWeight()}
        MustLossWeight.student_batch = 256
        MustLossWeight.student_learning_rate = 0.32
        MustLossWeight.task_batch = 64
        MustLossWeight.task_learning_rate = 0.16
        """;
    var config = new ConfigLoader(ConfigRegistry.fromServices()).parseString("test.conf", text).build();
    MultiTaskModel model = new Injector(config).create(MultiTaskModel.class);
    assertEquals(List.of("classification", "segmentation", "depth", "normals"),
        model.heads().stream().map(TaskHead::name).toList());
    assertEquals(2.0, model.lossWeight("depth"), 1e-12);
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      SyntheticBatch batch = new SyntheticBatch(1, 32, 32, 3, 3, 1);
      ModelOutput out = model.build(ctx, batch.images(ctx.tf()), batch.labels(ctx.tf(), false));
      assertEquals(4, out.weightedLosses().size());
      assertTrue(g.operation("fpn/output_7/kernel") != null);
      assertTrue(g.operation("heads/normals/hidden_3/kernel") != null);
    }
  }
}
