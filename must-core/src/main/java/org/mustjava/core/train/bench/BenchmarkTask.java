package org.mustjava.core.train.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TaskInputs;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.data.DatasetOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A self-contained task for timing the training loop: a plain conv net (3 stride-2 3x3 convs +
 * ReLU, mean pool, linear) regressing fixed projections of random images generated in the graph
 * from the batch index (a tf.data range, so it resumes like a real pipeline). No files, no models
 * module: the loop's overhead is what is measured, not data or model code.
 */
public final class BenchmarkTask implements Task {
  private final int batch;
  private final int size;
  private final int width;

  public BenchmarkTask(int batch, int size, int width) {
    this.batch = batch;
    this.size = size;
    this.width = width;
  }

  @Override
  public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
    Ops tf = ctx.scope("input").tf();
    List<Class<? extends org.tensorflow.types.family.TType>> types = List.of(TInt64.class);
    List<Shape> shapes = List.of(Shape.scalar());
    String options = new String(DatasetOptions.Options.newBuilder()
        .setOptimizationOptions(DatasetOptions.OptimizationOptions.newBuilder().setApplyDefaultOptimizations(false))
        .build().toByteArray(), StandardCharsets.ISO_8859_1);
    Operand<?> ds = tf.data.optionsDataset(
        tf.data.rangeDataset(tf.constant(startStep), tf.constant(Long.MAX_VALUE), tf.constant(1L), types, shapes),
        options, types, shapes);
    Operand<?> it = tf.data.iterator("bench_" + mode, "", types, shapes);
    var init = tf.data.makeIterator(ds, it);
    Operand<TInt64> index = tf.data.iteratorGetNext(it, types, shapes).components().get(0).expect(TInt64.class);
    Operand<TFloat32> image = tf.random.statelessRandomNormal(
        tf.constant(Shape.of(batch, size, size, 3)), tf.stack(List.of(tf.constant(1L), index)));
    Operand<TFloat32> target = tf.math.mean(image, tf.constant(new int[] {1, 2}));
    return new TaskInputs(Map.of("image", image, "target", target), List.of(init), batch);
  }

  @Override
  @SuppressWarnings("unchecked")
  public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode) {
    Operand<TFloat32> x = (Operand<TFloat32>) inputs.get("image");
    long in = 3;
    for (int i = 0; i < 3; i++) {
      GraphContext c = ctx.scope("conv" + i);
      Ops tf = c.tf();
      long out = (long) width << i;
      Operand<TFloat32> k = c.variable("kernel", Shape.of(3, 3, in, out), Initializers.heNormal(), true, true);
      Operand<TFloat32> b = c.variable("bias", Shape.of(out), Initializers.zeros(), true, false);
      x = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, k, List.of(1L, 2L, 2L, 1L), "SAME"), b));
      in = out;
    }
    GraphContext head = ctx.scope("head");
    Ops tf = head.tf();
    Operand<TFloat32> pooled = tf.math.mean(x, tf.constant(new int[] {1, 2}));
    Operand<TFloat32> w = head.variable("kernel", Shape.of(in, 3), Initializers.glorotUniform(), true, true);
    Operand<TFloat32> pred = tf.linalg.matMul(pooled, w);
    Map<String, Operand<TFloat32>> losses = mode == Mode.PREDICT ? Map.of()
        : Map.of("regression", tf.math.mean(tf.math.squaredDifference(pred, (Operand<TFloat32>) inputs.get("target")),
            tf.constant(new int[] {0, 1})));
    return new ModelOutputs(losses, Map.of("regression", Map.of("value", pred)));
  }

  @Override
  public Map<String, Operand<?>> summaryImages(GraphContext ctx, Map<String, Operand<?>> inputs, ModelOutputs outputs) {
    @SuppressWarnings("unchecked")
    Operand<TFloat32> image = (Operand<TFloat32>) inputs.get("image");
    return Map.of("input", ctx.scope("summary").tf().math.sigmoid(image));
  }
}
