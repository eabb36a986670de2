package org.mustjava.models.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.models.FeaturePyramid;
import org.mustjava.models.detection.FastRcnnBoxHead;
import org.mustjava.models.detection.RpnHead;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * Every head's BatchNorm is the configured {@code BatchNorm}: binding {@code BatchNorm.frozen} (or
 * momentum/epsilon) once reaches the RPN, the box head and the pixel heads.
 */
class HeadsFollowBatchNormTest {
  private static final String SMALL = String.join("\n",
      "RpnHead.num_filters = 4",
      "FastRcnnBoxHead.num_convs = 1",
      "FastRcnnBoxHead.num_filters = 4",
      "FastRcnnBoxHead.fc_dims = 4",
      "SegmentationHead.num_classes = 3",
      "SegmentationHead.hidden_filters = 4",
      "DepthHead.hidden_filters = 4",
      "NormalsHead.hidden_filters = 4",
      "");

  @Test
  void boundBatchNormReachesEveryHead() {
    for (String head : List.of("rpn", "box", "segmentation", "depth", "normals")) {
      Built frozen = build(head, SMALL + "BatchNorm.frozen = True\n");
      assertFalse(frozen.bnVariables().isEmpty(), head + " has BatchNorm variables");
      assertTrue(frozen.bnVariables().stream().noneMatch(ModelVariable::trainable),
          head + ": frozen BatchNorm has no trainable gamma/beta");
      assertEquals(0, frozen.updateOps(), head + ": frozen BatchNorm registers no moving-average updates");

      Built free = build(head, SMALL);
      assertTrue(free.bnVariables().stream().anyMatch(ModelVariable::trainable),
          head + ": unbound BatchNorm trains gamma/beta");
      assertTrue(free.updateOps() > 0, head + ": unbound BatchNorm updates its moving statistics");
    }
  }

  private record Built(List<ModelVariable> bnVariables, int updateOps) {}

  private static Built build(String head, String config) {
    Injector injector =
        new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("bn.conf", config).build());
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      var tf = ctx.tf();
      Operand<TFloat32> level = tf.zeros(tf.constant(new int[] {2, 4, 4, 4}), TFloat32.class);
      SortedMap<Integer, Operand<TFloat32>> levels = new TreeMap<>();
      levels.put(2, level);
      java.util.Map<String, Operand<?>> labels = java.util.Map.of(
          LabelKeys.SEGMENTATION, tf.zeros(tf.constant(new int[] {2, 8, 8}), org.tensorflow.types.TInt32.class),
          LabelKeys.DEPTH, tf.ones(tf.constant(new int[] {2, 8, 8}), TFloat32.class),
          LabelKeys.NORMALS, tf.zeros(tf.constant(new int[] {2, 8, 8, 3}), TFloat32.class));
      BiConsumer<TaskHead, FeaturePyramid> pixel = (h, f) -> h.build(ctx.scope("head"), f, labels);
      switch (head) {
        case "rpn" -> injector.create(RpnHead.class).build(ctx.scope("rpn"), levels, 2, 2, 3);
        case "box" -> injector.create(FastRcnnBoxHead.class).build(ctx.scope("box"),
            tf.zeros(tf.constant(new int[] {2, 3, 2, 2, 4}), TFloat32.class), 5);
        default -> {
          FeaturePyramid features = new FeaturePyramid(
              tf.zeros(tf.constant(new int[] {2, 8, 8, 3}), TFloat32.class), levels, levels, tf);
          Class<? extends TaskHead> type = switch (head) {
            case "segmentation" -> SegmentationHead.class;
            case "depth" -> DepthHead.class;
            default -> NormalsHead.class;
          };
          pixel.accept(injector.create(type), features);
        }
      }
      List<ModelVariable> bn = ctx.variables().stream()
          .filter(v -> v.name().endsWith("/gamma") || v.name().endsWith("/beta")).toList();
      return new Built(bn, ctx.updateOps().size());
    }
  }
}
