package org.mustjava.models.decoders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.testing.TestTensors;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

class FPNTest {

  @Test
  void producesP2ToP7With256ChannelsAndFusedP2ForSeveralSizes() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      var images = TestTensors.images(ctx.tf(), 3);
      var c = ResNet.of(18, 0.25).build(ctx.scope("backbone"), images);
      GraphContext fctx = ctx.scope("fpn");
      var p = FPN.standard().build(fctx, c);
      assertEquals(List.of(2, 3, 4, 5, 6, 7), List.copyOf(p.keySet()));
      var fused = FPN.fuseToFinest(fctx.tf(), p);
      assertNotNull(g.operation("fpn/lateral_3/kernel"));
      assertNotNull(g.operation("fpn/output_7/kernel"));
      assertNotNull(g.operation("fpn/norm_2/moving_mean"));
      s.initialize();
      for (int size : new int[] {64, 80, 97}) {
        try (TFloat32 in = TestTensors.random(Shape.of(1, size, size, 3), size)) {
          for (int l = 2; l <= 7; l++) {
            long cells = (size + (1L << l) - 1) >> l;
            assertEquals(Shape.of(1, cells, cells, 256), TestTensors.runShape(s, p.get(l), images, in),
                "P" + l + " at " + size + " px");
          }
          long p2 = (size + 3) / 4;
          assertEquals(Shape.of(1, p2, p2, 256), TestTensors.runShape(s, fused, images, in));
        }
      }
    }
  }

  @Test
  void configurableLevelRange() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      var images = TestTensors.images(ctx.tf(), 3);
      var c = ResNet.of(18, 0.25).build(ctx.scope("backbone"), images);
      var p = FPN.of(3, 5, 32).build(ctx.scope("fpn"), c);
      assertEquals(List.of(3, 4, 5), List.copyOf(p.keySet()));
      s.initialize();
      try (TFloat32 in = TestTensors.random(Shape.of(2, 64, 64, 3), 1)) {
        assertEquals(Shape.of(2, 8, 8, 32), TestTensors.runShape(s, p.get(3), images, in));
      }
    }
  }

  @Test
  void rejectsBadLevels() {
    assertThrows(IllegalArgumentException.class, () -> FPN.of(5, 3, 256));
  }
}
