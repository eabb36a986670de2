package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.heads.ClassificationHead;
import org.tensorflow.Graph;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Trainable parameter counts of ResNet + 1000-class head equal the reference architectures
 * (torchvision's published counts; BatchNorm moving statistics are not parameters). Graphs are
 * built, not run.
 */
class ParameterCountTest {

  @ParameterizedTest
  @CsvSource({"18, 11689512", "34, 21797672", "50, 25557032", "101, 44549160", "152, 60192808"})
  void resnetWithImageNetHeadMatchesReference(int depth, long expected) {
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1);
      var images = ctx.tf().placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 224, 224, 3)));
      MultiTaskModel model = new MultiTaskModel(
          ResNet.of(depth, 1.0), null, List.of(ClassificationHead.of(1000)), Map.of());
      model.build(ctx, images, null);
      assertEquals(expected, ctx.parameterCount("", true));
      assertEquals(2048L * 1000 + 1000 + (depth < 50 ? -1536L * 1000 : 0),
          ctx.parameterCount("heads/classification/", true));
    }
  }
}
