package org.mustjava.experiments.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.models.ModelOutput;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.heads.LabelKeys;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.PlaceholderWithDefault;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * One graph with an input pipeline, a multi-task model reading the pipeline's {@code
 * IteratorGetNext} outputs, and a momentum training step, which can be run in two ways:
 *
 * <ul>
 *   <li>{@link #stepFromPipeline()}: the model's input is the next pipeline batch, so decoding
 *       and augmentation run on tf.data threads while the step computes, as in real training;
 *   <li>{@link #stepFromConstants()}: one batch taken from the pipeline at start-up is fed in
 *       again at every step, so no input work happens at all.
 * </ul>
 *
 * <p>Every pipeline tensor reaches the model through a {@code PlaceholderWithDefault}: unfed it
 * passes the pipeline's batch on; fed, TensorFlow prunes the iterator from the step. Both modes
 * therefore run exactly the same model, variables and update ops; the only difference is where
 * the input comes from, and comparing them shows whether input stalls training.
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
   */
  public PipelineFedTrainStep(InputPipeline pipeline, MultiTaskModel model, long seed) {
    graph = new Graph();
    Session s = null;
    try {
      GraphContext ctx = GraphContext.create(graph, seed);
      Ops tf = ctx.tf();
      InputBatch batch = pipeline.build(tf);
      getNextName = batch.image().op().name();
      Map<String, Operand<?>> labels = new LinkedHashMap<>();
      Operand<TFloat32> images = null;
      for (Map.Entry<String, Operand<?>> e : batch.tensors().entrySet()) {
        if (e.getKey().equals(InputBatch.SOURCE_ID)) continue; // strings the model does not read
        Operand<?> in = withDefault(tf, e.getValue());
        inputs.add(in);
        if (e.getKey().equals(InputBatch.IMAGE)) {
          images = cast(in);
        } else {
          labels.put(e.getKey(), in);
        }
      }
      ModelOutput out = model.build(ctx, images, labels);
      loss = out.totalLoss();
      train = MomentumTrainStep.build(ctx, loss, 0.01f, 0.9f);
      batchSize = pipeline.batchSize();
      s = new Session(graph);
      s.initialize();
      s.run(batch.initializer());
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

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Operand<?> withDefault(Ops tf, Operand<?> t) {
    return PlaceholderWithDefault.create(tf.scope(), (Operand) t, t.shape());
  }

  @SuppressWarnings("unchecked")
  private static Operand<TFloat32> cast(Operand<?> t) {
    return (Operand<TFloat32>) t;
  }

}
