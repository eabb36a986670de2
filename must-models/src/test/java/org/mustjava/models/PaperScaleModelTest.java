package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.heads.LabelKeys;
import org.mustjava.models.heads.NormalsHead;
import org.mustjava.models.heads.TaskHead;
import org.mustjava.models.testing.MomentumStep;
import org.mustjava.models.tools.ModelSummary;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The paper's student network as {@code experiments/common/resnet152_fpn_multitask.conf} configures
 * it (ResNet-152 + FPN P2..P7 x 256 + classification (1000), two-stage
 * detection (365 Objects365 classes), segmentation (133 COCO panoptic classes), depth and
 * surface-normal heads) builds at 640 px and
 * runs one training step (forward, backward, momentum update, BatchNorm updates) at batch 1.
 * Prints the build and step times and the peak resident memory.
 */
@Tag("slow")
class PaperScaleModelTest {

  @Test
  void resnet152FpnAllHeadsTrainsOneStepAt640Pixels() throws IOException {
    long t0 = System.nanoTime();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      Ops tf = ctx.tf();
      int size = 640;
      // The student of experiments/common/resnet152_fpn_multitask.conf (its recipe-derived loss
      // weights included), plus a normals head (a downstream task) so every head type is built.
      Path conf = Path.of("..", "experiments", "common", "resnet152_fpn_multitask.conf");
      MultiTaskModel configured = new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseFile(conf).build())
          .create(ModelSummary.class).model();
      assertEquals(152, configured.backbone() instanceof ResNet r ? r.depth() : -1);
      List<TaskHead> heads = new ArrayList<>(configured.heads());
      heads.add(NormalsHead.of(256));
      Map<String, Double> weights = new java.util.HashMap<>();
      configured.heads().forEach(h -> weights.put(h.name(), configured.lossWeight(h.name())));
      MultiTaskModel model = new MultiTaskModel(configured.backbone(), configured.decoder(), heads, weights);
      Operand<TFloat32> images = tf.random.statelessRandomUniform(
          tf.constant(new int[] {1, size, size, 3}), tf.constant(new long[] {1, 2}));
      Map<String, Operand<?>> labels = Map.of(
          // Two pseudo boxes and one padding row.
          LabelKeys.BOXES, tf.constant(new float[][][] {
              {{0.1f, 0.1f, 0.4f, 0.3f}, {0.5f, 0.5f, 0.9f, 0.95f}, {0, 0, 0, 0}}}),
          LabelKeys.BOX_CLASSES, tf.constant(new int[][] {{1, 365, 0}}),
          LabelKeys.NUM_BOXES, tf.constant(new int[] {2}),
          LabelKeys.CLASS_PROBS, tf.nn.softmax(tf.random.statelessRandomNormal(
              tf.constant(new int[] {1, 1000}), tf.constant(new long[] {3, 4}))),
          LabelKeys.SEGMENTATION, tf.dtypes.cast(tf.math.mul(tf.random.statelessRandomUniform(
              tf.constant(new int[] {1, size, size}), tf.constant(new long[] {5, 6})), tf.constant(133f)), TInt32.class),
          LabelKeys.DEPTH, tf.random.statelessRandomUniform(
              tf.constant(new int[] {1, size, size}), tf.constant(new long[] {7, 8})),
          // Every normal points at the camera.
          LabelKeys.NORMALS, tf.math.mul(tf.ones(tf.constant(new int[] {1, size, size, 3}), TFloat32.class),
              tf.constant(new float[] {0, 0, 1})));
      ModelOutput out = model.build(ctx, images, labels);
      Op train = MomentumStep.build(ctx, out.totalLoss(), 0.01f, 0.9f);
      long built = System.nanoTime();
      s.initialize();
      long initialised = System.nanoTime();
      float loss;
      List<String> names = new ArrayList<>(out.weightedLosses().keySet());
      var runner = s.runner().fetch(out.totalLoss()).addTarget(train);
      names.forEach(n -> runner.fetch(out.weightedLosses().get(n)));
      try (Result r = runner.run()) {
        loss = ((TFloat32) r.get(0)).getFloat();
        for (int i = 0; i < names.size(); i++) {
          float l = ((TFloat32) r.get(1 + i)).getFloat();
          assertTrue(Float.isFinite(l) && l > 0, names.get(i) + " loss " + l);
        }
      }
      long stepped = System.nanoTime();
      assertTrue(Float.isFinite(loss), "loss " + loss);
      assertEquals(5, names.size());
      System.out.printf("PaperScaleModelTest: %,d trainable parameters; build %.1f s, init %.1f s, "
              + "one training step %.1f s, peak RSS %s%n",
          ctx.parameterCount("", true), (built - t0) / 1e9, (initialised - built) / 1e9,
          (stepped - initialised) / 1e9, peakRss());
    }
  }

  private static String peakRss() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) return "unknown";
    return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM"))
        .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("unknown");
  }
}
