package org.mustjava.data.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.op.Ops;

/** Builds a pipeline in a fresh graph and fetches its batches as host tensors. */
final class BatchFetcher implements AutoCloseable {
  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final InputBatch batch;
  final Session session;

  BatchFetcher(InputPipeline pipeline) {
    this(pipeline, 0);
  }

  /** A training pipeline started {@code skipElements} examples in (a resumed run). */
  BatchFetcher(InputPipeline pipeline, long skipElements) {
    batch = pipeline.build(tf, skipElements);
    session = new Session(graph);
    session.run(batch.initializer());
  }

  /** The next batch, every tensor by name; the caller closes them via {@link Fetched#close()}. */
  Fetched next() {
    Session.Runner runner = session.runner();
    List<String> names = new ArrayList<>(batch.tensors().keySet());
    for (String n : names) {
      runner.fetch(batch.tensors().get(n));
    }
    Result r = runner.run();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      out.put(names.get(i), r.get(i));
    }
    return new Fetched(r, out);
  }

  /** One fetched batch. */
  record Fetched(Result result, Map<String, Tensor> tensors) implements AutoCloseable {
    @SuppressWarnings("unchecked")
    <T extends Tensor> T get(String name) {
      return (T) tensors.get(name);
    }

    @Override
    public void close() {
      result.close();
    }
  }

  Operand<?> tensor(String name) {
    return batch.tensors().get(name);
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
