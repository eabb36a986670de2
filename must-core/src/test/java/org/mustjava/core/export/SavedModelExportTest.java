package org.mustjava.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.checkpoint.CheckpointInfo;
import org.mustjava.core.checkpoint.CheckpointManager;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.Saver;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.ProgressLogger;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.Trainers;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * Exported SavedModels reload with {@code SavedModelBundle.load}, have one signature per head, and
 * compute what the eval model computes from the same checkpoint (BatchNorm in inference mode).
 */
class SavedModelExportTest {
  @TempDir Path dir;

  @Test
  void exportReloadsAndMatchesTheEvalModel() throws Exception {
    TinyConvTask task = new TinyConvTask(4, true, 3, 1);
    Trainers.fromConfig("Trainer.steps = 12\nTrainer.checkpoint_every = 12\nTrainer.seed = 2\nTrainer.learning_rate = @ConstantLearningRate()\nConstantLearningRate.rate = 0.05")
        .withLogger(new ProgressLogger(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false, 12))
        .train(task, dir.resolve("stage"), "");
    CheckpointInfo ckpt = new CheckpointManager(dir.resolve("stage/checkpoints"), 1).latest().orElseThrow();
    Path export = dir.resolve("export");
    List<String> keys = SavedModelExporter.export(task, ckpt.prefix(), export, 99);
    assertEquals(List.of("regression", "aux"), keys);

    try (TFloat32 image = randomImage()) {
      float[] expected = evalModelOutput(task, ckpt, image);
      try (SavedModelBundle bundle = SavedModelBundle.load(export.toString(), "serve")) {
        Set<String> sigs = new TreeSet<>();
        for (Signature s : bundle.signatures()) sigs.add(s.key());
        assertTrue(sigs.containsAll(Set.of("regression", "aux")), sigs.toString());
        try (Result r = bundle.function("regression").call(Map.of("image", image))) {
          TFloat32 out = (TFloat32) r.get("value").orElseThrow();
          assertEquals(Shape.of(2, 2), out.shape());
          for (int i = 0; i < 4; i++) assertEquals(expected[i], out.getFloat(i / 2, i % 2), 1e-5);
        }
      }
      // The same model as a frozen teacher.
      try (FrozenTeacher teacher = FrozenTeacher.load(export, "aux")) {
        assertEquals(Set.of("image"), teacher.signature().inputNames());
        try (Result r = teacher.run(Map.of("image", image))) {
          assertEquals(Shape.of(2, 1), r.get("value").orElseThrow().shape());
        }
        assertThrows(IllegalArgumentException.class, () -> teacher.run(Map.<String, Tensor>of()));
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrozenTeacher.load(export, "depth"));
      assertTrue(e.getMessage().contains("no signature 'depth'"), e.getMessage());
    }
    assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary left");
  }

  private static TFloat32 randomImage() {
    TFloat32 t = TFloat32.tensorOf(Shape.of(2, TinyConvTask.SIZE, TinyConvTask.SIZE, 3));
    java.util.Random rnd = new java.util.Random(4);
    for (int n = 0; n < 2; n++) for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) for (int c = 0; c < 3; c++) {
      t.setFloat((float) rnd.nextGaussian(), n, y, x, c);
    }
    return t;
  }

  /** The regression head in eval mode, restored from {@code ckpt}, in a graph built by hand. */
  private static float[] evalModelOutput(TinyConvTask task, CheckpointInfo ckpt, TFloat32 image) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1).withTraining(false);
      Operand<TFloat32> in = ctx.tf().placeholder(TFloat32.class);
      ModelOutputs out = task.buildModel(ctx, Map.of("image", in), Mode.PREDICT);
      List<CheckpointVariable> vars = new java.util.ArrayList<>();
      for (ModelVariable v : ctx.variables()) vars.add(CheckpointVariable.of(v));
      Saver saver = new Saver(ctx.scope("saver").tf(), vars);
      s.initialize();
      saver.restore(s, ckpt.prefix());
      try (Result r = s.runner().feed(in, image).fetch(out.predictions().get("regression").get("value")).run()) {
        TFloat32 t = (TFloat32) r.get(0);
        return new float[] {t.getFloat(0, 0), t.getFloat(0, 1), t.getFloat(1, 0), t.getFloat(1, 1)};
      }
    }
  }
}
