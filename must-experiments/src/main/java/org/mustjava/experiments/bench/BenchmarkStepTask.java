package org.mustjava.experiments.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.ConstantLearningRate;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.MomentumOptimizer;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.TaskInputs;
import org.mustjava.core.train.TrainingGraph;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.models.ModelOutput;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.types.TFloat32;

/**
 * The benchmarks' model and input as a {@link Task}, so that the timed step is the training
 * engine's own {@link TrainingGraph#trainOp} (updates gated behind all gradients, global gradient
 * norm, the trainer's weight decay, unused variables left out), not a step of the benchmark's own.
 * The model part is what must-models' {@code MultiTaskTrainingTask} does (image + labels in, the
 * heads' weighted losses out); the input is given by the benchmark: constant tensors, or a pipeline
 * read through {@code PlaceholderWithDefault} ({@link #pipelineInputs}).
 */
public final class BenchmarkStepTask implements Task {
  /** SGD with momentum 0.9 at a constant learning rate of 0.01, as every benchmark has timed it. */
  static final double MOMENTUM = 0.9;
  static final double LEARNING_RATE = 0.01;

  private final MultiTaskModel model;
  private final Function<Ops, TaskInputs> inputs;

  /**
   * @param model the network; its labels are the input tensors other than {@code image}
   * @param inputs builds the training batch (called once per graph)
   */
  public BenchmarkStepTask(MultiTaskModel model, Function<Ops, TaskInputs> inputs) {
    this.model = Objects.requireNonNull(model, "model");
    this.inputs = Objects.requireNonNull(inputs, "inputs");
  }

  /**
   * Inputs read from {@code pipeline}, every tensor (but the string source ids, which the model does
   * not read) through a {@code PlaceholderWithDefault}: unfed it passes the pipeline's batch on; fed,
   * TensorFlow prunes the iterator from the step. The returned {@link TaskInputs#tensors()} are the
   * placeholders, the tensors to feed to run the same step without input work.
   */
  public static Function<Ops, TaskInputs> pipelineInputs(InputPipeline pipeline) {
    return tf -> {
      InputBatch batch = pipeline.build(tf);
      Map<String, Operand<?>> tensors = new LinkedHashMap<>();
      batch.tensors().forEach((k, v) -> {
        if (!k.equals(InputBatch.SOURCE_ID)) tensors.put(k, withDefault(tf, v));
      });
      return new TaskInputs(tensors, List.of(batch.initializer()), pipeline.batchSize());
    };
  }

  /**
   * The engine's training graph of this task with the benchmarks' optimiser, one tower, no eval.
   *
   * @param root the graph's root context
   * @param weightDecay the trainer's weight decay (0: none)
   */
  public TrainingGraph trainingGraph(GraphContext root, double weightDecay) {
    return trainingGraph(root, weightDecay, List.of());
  }

  /** The same with one tower per device (e.g. a cluster's {@code /job:worker/task:i}); empty: one tower. */
  public TrainingGraph trainingGraph(GraphContext root, double weightDecay, List<String> devices) {
    return TrainingGraph.builder(this, root)
        .optimizer(new MomentumOptimizer(MOMENTUM, false))
        .schedule(new ConstantLearningRate(LEARNING_RATE))
        .weightDecay(weightDecay)
        .devices(devices)
        .build();
  }

  @Override
  public TaskInputs buildInputs(GraphContext ctx, Mode mode, long startStep) {
    // Benchmark input is a stream (or a constant batch), not resumable: there is no start step.
    if (startStep != 0) throw new IllegalArgumentException("benchmark inputs cannot resume at step " + startStep);
    return inputs.apply(ctx.scope("input").tf());
  }

  @Override
  @SuppressWarnings("unchecked")
  public ModelOutputs buildModel(GraphContext ctx, Map<String, Operand<?>> tensors, Mode mode) {
    Operand<TFloat32> images = (Operand<TFloat32>) tensors.get(LabelKeys.IMAGE);
    if (images == null) throw new IllegalArgumentException("inputs have no '" + LabelKeys.IMAGE + "': " + tensors.keySet());
    Map<String, Operand<?>> labels = null;
    if (mode != Mode.PREDICT) {
      labels = new LinkedHashMap<>(tensors);
      labels.remove(LabelKeys.IMAGE);
    }
    ModelOutput out = model.build(ctx, images, labels);
    // In head order, so the losses are summed in the same order at every build.
    Map<String, Operand<TFloat32>> losses = new LinkedHashMap<>();
    Map<String, Map<String, Operand<?>>> predictions = new LinkedHashMap<>();
    for (var head : model.heads()) {
      Operand<TFloat32> l = out.weightedLosses().get(head.name());
      if (l != null) losses.put(head.name(), l);
      predictions.put(head.name(), out.heads().get(head.name()).predictions());
    }
    return new ModelOutputs(losses, predictions);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<?> withDefault(Ops tf, Operand<?> t) {
    return PlaceholderWithDefault.create(tf.scope(), (Operand) t, t.shape());
  }
}
