package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.core.train.TrainingGraph;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.heads.ClassificationHead;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The benchmark task builds the engine's training graph (its train op advances the global step and
 * applies the trainer's weight decay), and its pipeline inputs are placeholders defaulting to the
 * pipeline's {@code IteratorGetNext}.
 */
class BenchmarkStepTaskTest {
  @TempDir Path dir;

  private static MultiTaskModel tinyClassifier() {
    return new MultiTaskModel(ResNet.of(18, 0.125), null, List.of(ClassificationHead.of(3)), Map.of());
  }

  @Test
  void trainOpIsTheEnginesStep() {
    BenchmarkStepTask task = new BenchmarkStepTask(tinyClassifier(), tf -> new TaskInputs(Map.of(
        LabelKeys.IMAGE, tf.random.randomUniform(tf.constant(Shape.of(2, 32, 32, 3)), TFloat32.class),
        LabelKeys.CLASS_LABEL, tf.constant(new int[] {0, 2})), List.of(), 2));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      TrainingGraph tg = task.trainingGraph(GraphContext.create(g, 3), 1e-4);
      assertEquals(List.of("classification"), List.copyOf(tg.taskLosses.keySet()));
      s.initialize();
      for (int i = 0; i < 2; i++) s.runner().addTarget(tg.trainOp).run().close();
      try (Result r = s.runner().fetch(tg.globalStepValue).fetch(tg.weightDecayLoss).fetch(tg.gradientNorm).run()) {
        assertEquals(2L, ((TInt64) r.get(0)).getObject(), "the engine's train op increments the global step");
        assertTrue(((TFloat32) r.get(1)).getFloat() > 0, "the trainer's weight decay is in the objective");
        float norm = ((TFloat32) r.get(2)).getFloat();
        assertTrue(Float.isFinite(norm) && norm > 0, "global gradient norm " + norm);
      }
    }
  }

  @Test
  void pipelineInputsArePlaceholdersOverTheIterator() throws Exception {
    Path file = BenchmarkScenes.write(dir, 32, 4, 1, 5);
    InputBenchmark.SizeSetting setting = new InputBenchmark.SizeSetting(32, 2, 4, StudentModel.mini(BenchmarkScenes.NUM_CLASSES));
    BenchmarkStepTask task = new BenchmarkStepTask(setting.model().model(),
        BenchmarkStepTask.pipelineInputs(InputBenchmark.pipeline(file, setting, 1, 5)));
    try (Graph g = new Graph()) {
      TaskInputs in = task.buildInputs(GraphContext.create(g, 5), Mode.TRAIN, 0);
      assertEquals(2, in.batchSize());
      assertEquals(1, in.initializers().size());
      assertTrue(in.tensors().containsKey(LabelKeys.IMAGE) && in.tensors().size() > 1, in.tensors().keySet().toString());
      for (Operand<?> t : in.tensors().values()) {
        GraphOperation op = (GraphOperation) t.op();
        assertEquals("PlaceholderWithDefault", op.type(), op.name());
        assertEquals("IteratorGetNext", op.input(0).op().type(), op.name());
      }
      assertThrows(IllegalArgumentException.class,
          () -> task.buildInputs(GraphContext.create(g, 5), Mode.TRAIN, 1), "benchmark inputs do not resume");
    }
  }

  @Test
  void noLabelsNoLosses() {
    BenchmarkStepTask task = new BenchmarkStepTask(tinyClassifier(), tf -> {
      throw new AssertionError("not called");
    });
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, 1).withTraining(false);
      var out = task.buildModel(ctx, Map.of(LabelKeys.IMAGE, ctx.tf().zeros(ctx.tf().constant(new long[] {1, 32, 32, 3}), TFloat32.class)), Mode.PREDICT);
      assertTrue(out.losses().isEmpty());
      assertNotNull(out.predictions().get("classification").get("logits"));
    }
  }
}
