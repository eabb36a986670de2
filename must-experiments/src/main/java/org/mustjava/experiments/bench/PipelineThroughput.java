package org.mustjava.experiments.bench;

import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Images per second an input pipeline delivers on its own: the pipeline alone in a graph, each
 * timed call fetching every tensor of one batch (a model reads them all), so decoding,
 * augmentation and batching are paid in full and nothing else runs.
 */
public final class PipelineThroughput {
  private PipelineThroughput() {}

  /** Times {@code pipeline} with {@code timer}; one call = one batch of {@code batchSize()} images. */
  public static double imagesPerSecond(InputPipeline pipeline, StepTimer timer) {
    return time(pipeline, timer).perSecond(pipeline.batchSize());
  }

  /** The timing itself (calls, wall and process CPU seconds); one call = one batch. */
  public static Timing time(InputPipeline pipeline, StepTimer timer) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      InputBatch in = pipeline.build(Ops.create(g));
      s.run(in.initializer());
      return timer.time(() -> {
        Session.Runner r = s.runner();
        in.tensors().values().forEach(r::fetch);
        r.run().close();
      });
    }
  }
}
