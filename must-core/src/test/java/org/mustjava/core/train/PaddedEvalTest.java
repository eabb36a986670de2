package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.Trainers;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Eval inputs with {@link TaskInputs#EXAMPLE_VALID}: the eval graph drops the padding rows from
 * every batch-major tensor, so metrics see exactly the valid examples (here rows 0 and 2 of each
 * batch of 4), the evaluator counts only them, and eval losses are weighted by them.
 */
class PaddedEvalTest {
  /** TinyConvTask whose eval batches carry a row index and a validity mask {1, 0, 1, 0}. */
  static final class MaskedEvalTask implements Task {
    final TinyConvTask inner = new TinyConvTask(4, false, 5, 3);

    @Override
    public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
      TaskInputs in = inner.buildInputs(ctx, mode, startStep);
      if (mode != Mode.EVAL) return in;
      Ops tf = ctx.scope("mask").tf();
      Map<String, Operand<?>> t = new LinkedHashMap<>(in.tensors());
      t.put("row", tf.constant(new int[] {0, 1, 2, 3}));
      t.put(TaskInputs.EXAMPLE_VALID, tf.constant(new float[] {1, 0, 1, 0}));
      return new TaskInputs(t, in.initializers(), in.batchSize());
    }

    @Override
    public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode) {
      return inner.buildModel(ctx, inputs, mode);
    }
  }

  /** Records the rows it is fed. */
  static final class RowRecorder implements EvalMetric {
    final List<int[]> rows = new ArrayList<>();
    final List<Long> predictionRows = new ArrayList<>();

    @Override
    public String name() {
      return "rows";
    }

    @Override
    public List<String> requiredTensors() {
      return List.of("inputs/row", "regression/value");
    }

    @Override
    public void update(Map<String, Tensor> tensors) {
      TInt32 r = (TInt32) tensors.get("inputs/row");
      int[] v = new int[(int) r.size()];
      for (int i = 0; i < v.length; i++) v[i] = r.getInt(i);
      rows.add(v);
      predictionRows.add(((TFloat32) tensors.get("regression/value")).shape().get(0));
    }

    @Override
    public Map<String, Double> result() {
      return Map.of("batches", (double) rows.size());
    }

    @Override
    public void reset() {
      rows.clear();
      predictionRows.clear();
    }
  }

  @Test
  void metricsSeeOnlyValidRows() {
    Trainer trainer = Trainers.fromConfig("Trainer.steps = 1\nTrainer.seed = 1\n");
    MaskedEvalTask task = new MaskedEvalTask();
    try (Graph g = new Graph()) {
      TrainingGraph tg = trainer.buildGraph(task, GraphContext.create(g, 1), 0, true);
      try (Session s = new Session(g)) {
        s.initialize();
        RowRecorder recorder = new RowRecorder();
        Evaluator.Results r = Evaluator.evaluate(s, tg.evalInputs, tg.evalTensors, List.of(recorder), 0);
        assertEquals(3, r.batches());
        assertEquals(6, r.examples(), "2 valid rows in each of 3 batches");
        assertEquals(3, recorder.rows.size());
        for (int[] rows : recorder.rows) assertArrayEquals(new int[] {0, 2}, rows);
        assertEquals(List.of(2L, 2L, 2L), recorder.predictionRows);
        assertEquals(true, Double.isFinite(r.metrics().get("loss/regression")));
      }
    }
  }
}
