package org.mustjava.experiments.bench;

import java.util.Set;
import java.util.List;
import java.util.Map;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The smallest task fed by the real input pipeline (TFRecord files, shuffles, decode, augmentation,
 * iterator state): a linear classifier on the mean colour of each image. Its steps take about a
 * millisecond, so a run reaches thousands of steps in seconds and what a resume costs besides the
 * model is visible.
 */
final class PipelineLinearTask implements Task {
  private final InputPipeline pipeline;
  private final int numClasses;

  /** A training pipeline (classification) over {@code files}. */
  PipelineLinearTask(List<String> files, int batch, int imageSize, int numClasses, long seed) {
    this.pipeline = InputPipeline.builder(files, Set.of(LabelTypes.CLASSIFICATION))
        .batchSize(batch).imageSize(imageSize).shuffleBuffer(64).seed(seed).build();
    this.numClasses = numClasses;
  }

  InputPipeline pipeline() {
    return pipeline;
  }

  @Override
  public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
    if (mode != Mode.TRAIN) throw new IllegalArgumentException("training only");
    InputBatch batch = pipeline.build(ctx.scope("train_input").tf(), startStep * pipeline.batchSize());
    return new TaskInputs(batch.tensors(), List.of(batch.initializer()), pipeline.batchSize(), batch.iterator());
  }

  @Override
  @SuppressWarnings("unchecked")
  public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> inputs, Mode mode) {
    GraphContext c = ctx.scope("linear");
    Ops tf = c.tf();
    Operand<TFloat32> colour = tf.math.mean((Operand<TFloat32>) inputs.get(InputBatch.IMAGE), tf.constant(new int[] {1, 2}));
    Operand<TFloat32> w = c.variable("kernel", Shape.of(3, numClasses), Initializers.glorotUniform(), true, true);
    Operand<TFloat32> b = c.variable("bias", Shape.of(numClasses), Initializers.zeros(), true, false);
    Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(colour, w), b);
    Operand<TInt32> labels = (Operand<TInt32>) inputs.get(InputBatch.CLASS_LABEL);
    Operand<TFloat32> loss = tf.math.mean(
        tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss(), tf.constant(0));
    return new ModelOutputs(Map.of("classification", loss), Map.of("classification", Map.of("logits", logits)));
  }
}
