package org.mustjava.experiments.bench;

import java.util.ArrayList;
import java.util.List;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.train.TrainingGraph;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.models.MultiTaskModel;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * One graph with an input pipeline, a multi-task model reading the pipeline's {@code
 * IteratorGetNext} outputs, and the training engine's train op ({@link TrainingGraph#trainOp} of a
 * {@link BenchmarkStepTask}: SGD with momentum, the trainer's weight decay), which can be run in
 * two ways:
 *
 * <ul>
 *   <li>{@link #stepFromPipeline()}: the model's input is the next pipeline batch, so decoding
 *       and augmentation run on tf.data threads while the step computes, as in real training;
 *   <li>{@link #stepFromConstants()}: one batch taken from the pipeline at start-up is fed in
 *       again at every step, so no input work happens at all.
 * </ul>
 *
 * <p>Every pipeline tensor reaches the model through a {@code PlaceholderWithDefault} (built by
 * {@link BenchmarkStepTask#pipelineInputs}): unfed it passes the pipeline's batch on; fed,
 * TensorFlow prunes the iterator from the step. Both modes therefore run exactly the same model,
 * variables and update ops; the only difference is where the input comes from, and comparing them
 * shows whether input stalls training.
 */
public final class PipelineFedTrainStep implements AutoCloseable {
  private final Graph graph;
  private final Session session;
  private final Op train;
  private final Operand<TFloat32> loss;
  private final List<Operand<?>> inputs = new ArrayList<>();
  private final Result constants;
  private final int batchSize;
  private final String getNextName;

  /**
   * Builds the graph, initialises the variables and the iterator, and takes the constant batch.
   *
   * @param pipeline a training pipeline over the data (its batch size is the step's)
   * @param model the network; its labels are the pipeline's tensors
   * @param seed variable initialisation seed
   * @param weightDecay the trainer's weight decay (0: none)
   */
  public PipelineFedTrainStep(InputPipeline pipeline, MultiTaskModel model, long seed, double weightDecay) {
    graph = new Graph();
    Session s = null;
    try {
      GraphContext ctx = GraphContext.create(graph, seed);
      BenchmarkStepTask task = new BenchmarkStepTask(model, BenchmarkStepTask.pipelineInputs(pipeline));
      TrainingGraph tg = task.trainingGraph(ctx, weightDecay);
      train = tg.trainOp;
      loss = tg.totalLoss;
      inputs.addAll(tg.trainInputs.tensors().values());
      // The image placeholder's default is the pipeline's IteratorGetNext (see BenchmarkStepTask).
      getNextName = ((GraphOperation) tg.trainInputs.get(InputBatch.IMAGE).op()).input(0).op().name();
      batchSize = tg.trainInputs.batchSize();
      s = new Session(graph);
      s.initialize();
      for (Op init : tg.trainInputs.initializers()) s.run(init);
      Session.Runner r = s.runner();
      inputs.forEach(r::fetch);
      constants = r.run();
      session = s;
    } catch (RuntimeException e) {
      if (s != null) s.close();
      graph.close();
      throw e;
    }
  }

  public int batchSize() {
    return batchSize;
  }

  /** One training step on the next pipeline batch. */
  public void stepFromPipeline() {
    check(session.runner().addTarget(train).fetch(loss));
  }

  /** One training step on the batch taken at start-up (no input pipeline work). */
  public void stepFromConstants() {
    Session.Runner r = session.runner().addTarget(train).fetch(loss);
    for (int i = 0; i < inputs.size(); i++) r.feed(inputs.get(i), constants.get(i));
    check(r);
  }

  /** One training step on the next pipeline batch, traced at {@code level}; returns its step statistics. */
  public RunMetadata tracedStepFromPipeline(RunOptions.TraceLevel level) {
    RunOptions trace = RunOptions.newBuilder().setTraceLevel(level).build();
    try (Result res = session.runner().addTarget(train).fetch(loss).setOptions(trace).runAndFetchMetadata()) {
      checkLoss(res);
      return res.getMetadata().orElseThrow(() -> new IllegalStateException("no run metadata"));
    }
  }

  /** The step's graph (for profiles of its ops). */
  public Graph graph() {
    return graph;
  }

  /**
   * How long the step waits for input: runs traced steps from the pipeline (at least one, for at
   * least {@code minSeconds}) and sums the time TensorFlow's step statistics give the {@code
   * IteratorGetNext} op, from its start until the batch is handed over. Near zero means a
   * prefetched batch was always ready. Tracing slows the step a little, so these steps are kept
   * apart from the timed ones.
   */
  public InputWait traceInputWait(double minSeconds) {
    RunOptions trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build();
    long start = System.nanoTime();
    int steps = 0;
    double waitMicros = 0;
    boolean seen = false;
    while (steps < 1 || System.nanoTime() - start < minSeconds * 1e9) {
      try (Result res = session.runner().addTarget(train).fetch(loss).setOptions(trace).runAndFetchMetadata()) {
        checkLoss(res);
        RunMetadata md = res.getMetadata().orElseThrow(() -> new IllegalStateException("no run metadata"));
        for (DeviceStepStats dev : md.getStepStats().getDevStatsList()) {
          for (NodeExecStats n : dev.getNodeStatsList()) {
            if (n.getNodeName().equals(getNextName)) {
              waitMicros += n.getAllEndRelMicros();
              seen = true;
            }
          }
        }
      }
      steps++;
    }
    if (!seen) throw new IllegalStateException("the step statistics have no node " + getNextName);
    return new InputWait(steps, waitMicros / 1e6, (System.nanoTime() - start) / 1e9);
  }

  /**
   * Input wait measured over traced steps.
   *
   * @param steps traced steps
   * @param waitSeconds total time in {@code IteratorGetNext}
   * @param seconds total wall time of the traced steps
   */
  public record InputWait(int steps, double waitSeconds, double seconds) {
    /** Milliseconds per step spent waiting for input. */
    public double waitMillisPerStep() {
      return 1e3 * waitSeconds / steps;
    }

    /** The share of the step time spent waiting for input. */
    public double fraction() {
      return waitSeconds / seconds;
    }
  }

  private static void check(Session.Runner r) {
    try (Result res = r.run()) {
      checkLoss(res);
    }
  }

  private static void checkLoss(Result res) {
    float l = ((TFloat32) res.get(0)).getFloat();
    if (!Float.isFinite(l)) throw new IllegalStateException("benchmark training step diverged: loss " + l);
  }

  @Override
  public void close() {
    try {
      constants.close();
      session.close();
    } finally {
      graph.close();
    }
  }
}
