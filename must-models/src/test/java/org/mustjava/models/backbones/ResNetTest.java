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

  @Test
  void cifarStemKeepsFullResolutionAtC2AndReportsItsStrides() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1).withTraining(false);
      var images = TestTensors.images(ctx.tf(), 3);
      ResNet resnet = new ResNet(18, 0.25, 0.99, 1e-3, false, false, "cifar");
      SortedMap<Integer, Operand<TFloat32>> levels = resnet.build(ctx.scope("backbone"), images);
      assertEquals(List.of(2, 3, 4, 5), List.copyOf(levels.keySet()));
      assertEquals(List.of(1, 2, 4, 8), List.of(resnet.levelStride(2), resnet.levelStride(3),
          resnet.levelStride(4), resnet.levelStride(5)));
      assertEquals(false, resnet.hasStandardStrides());
      assertEquals(true, ResNet.of(18, 0.25).hasStandardStrides());
      assertEquals(Shape.of(3, 3, 3, 16),
          ctx.variables(v -> v.name().equals("backbone/stem/conv/kernel")).get(0).shape());
      s.initialize();
      // Non-square, odd: C2 is the input grid, level l has ceil(size / 2^(l-2)) cells.
      try (TFloat32 in = TestTensors.random(Shape.of(2, 33, 20, 3), 3)) {
        for (int l = 2; l <= 5; l++) {
          int cells = resnet.levelStride(l);
          assertEquals(Shape.of(2, (33 + cells - 1) / cells, (20 + cells - 1) / cells, resnet.levelChannels().get(l)),
              TestTensors.runShape(s, levels.get(l), images, in), "level " + l);
        }
      }
    }
  }

  @Test
  void cifarResNet18ParameterCountMatchesTheReferenceCifarResNet() {
    // ResNet-18 with a 3x3 stem and a 10-class head: 11,173,962 trainable parameters, the count of
    // the widely used CIFAR ResNet-18 (the ImageNet model's 11,689,512 minus the 7x7 stem's extra
    // (49 - 9) * 3 * 64 weights and the 1000-class head plus a 10-class one).
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      var images = ctx.tf().placeholder(TFloat32.class,
          org.tensorflow.op.core.Placeholder.shape(Shape.of(-1, 32, 32, 3)));
      new org.mustjava.models.MultiTaskModel(new ResNet(18, 1.0, 0.99, 1e-3, false, false, "cifar"), null,
          List.of(org.mustjava.models.heads.ClassificationHead.of(10)), java.util.Map.of()).build(ctx, images, null);
      assertEquals(11_173_962L, ctx.parameterCount("", true));
    }
  }

  @Test
  void rejectsUnknownStemAndDetectionOnTheCifarStem() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ResNet(18, 1.0, 0.99, 1e-3, false, false, "tiny"));
    assertEquals("ResNet.stem must be 'imagenet' or 'cifar', got 'tiny'", e.getMessage());
    var d = assertThrows(IllegalArgumentException.class, () -> new org.mustjava.models.MultiTaskModel(
        new ResNet(18, 0.25, 0.99, 1e-3, false, false, "cifar"), null,
        List.of(org.mustjava.models.detection.DetectionHead.standard(3)), java.util.Map.of()));
    org.junit.jupiter.api.Assertions.assertTrue(d.getMessage().contains("stride 2^l"), d.getMessage());
  }
}
