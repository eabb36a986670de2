package org.mustjava.models.backbones;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.testing.TestTensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class ResNetTest {

  @Test
  void bottleneckLevelsHaveStridesFourToThirtyTwoAndStandardChannelsForAnyInputSize() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1).withTraining(false);
      var images = TestTensors.images(ctx.tf(), 3);
      ResNet resnet = ResNet.of(50, 1.0);
      SortedMap<Integer, Operand<TFloat32>> levels = resnet.build(ctx.scope("backbone"), images);
      assertEquals(List.of(2, 3, 4, 5), List.copyOf(levels.keySet()));
      assertEquals(List.of(256, 512, 1024, 2048), List.copyOf(resnet.levelChannels().values()));
      s.initialize();
      // Even, odd and non-square sizes: level l has ceil(size / 2^l) cells.
      for (int[] hw : new int[][] {{64, 64}, {65, 47}}) {
        try (TFloat32 in = TestTensors.random(Shape.of(1, hw[0], hw[1], 3), 3)) {
          for (int l = 2; l <= 5; l++) {
            Shape shape = TestTensors.runShape(s, levels.get(l), images, in);
            int cells = 1 << l;
            assertEquals(Shape.of(1, (hw[0] + cells - 1) / cells, (hw[1] + cells - 1) / cells,
                resnet.levelChannels().get(l)), shape, "level " + l + " at " + hw[0] + "x" + hw[1]);
          }
        }
      }
    }
  }

  @Test
  void basicBlocksWithWidthMultiplier() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      var images = TestTensors.images(ctx.tf(), 3);
      ResNet resnet = ResNet.of(18, 0.25);
      var levels = resnet.build(ctx.scope("backbone"), images);
      assertEquals(List.of(16, 32, 64, 128), List.copyOf(resnet.levelChannels().values()));
      s.initialize();
      try (TFloat32 in = TestTensors.random(Shape.of(2, 32, 32, 3), 3)) {
        assertEquals(Shape.of(2, 1, 1, 128), TestTensors.runShape(s, levels.get(5), images, in));
        assertEquals(Shape.of(2, 8, 8, 16), TestTensors.runShape(s, levels.get(2), images, in));
      }
    }
  }

  @Test
  void variableNamesAreHierarchicalAndDeterministic() {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      var images = TestTensors.images(ctx.tf(), 3);
      ResNet.of(152, 0.125).build(ctx.scope("backbone"), images);
      assertNotNull(g.operation("backbone/stage3/block12/conv2/kernel"));
      assertNotNull(g.operation("backbone/stage3/block36/bn3/moving_variance"));
      assertNotNull(g.operation("backbone/stage1/block1/shortcut/conv/kernel"));
      assertNotNull(g.operation("backbone/stem/conv/kernel"));
      assertEquals(null, g.operation("backbone/stage3/block37/conv1/kernel"));
      assertEquals(Shape.of(3, 3, 32, 32),
          ctx.variables(v -> v.name().equals("backbone/stage3/block12/conv2/kernel")).get(0).shape());
    }
  }

  @Test
  void rejectsUnknownDepth() {
    var e = assertThrows(IllegalArgumentException.class, () -> ResNet.of(42, 1.0));
    assertEquals("ResNet.depth must be one of 18, 34, 50, 101, 152, 200, got 42", e.getMessage());
  }
}
