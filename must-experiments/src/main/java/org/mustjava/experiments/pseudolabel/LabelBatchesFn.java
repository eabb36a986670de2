package org.mustjava.experiments.pseudolabel;

import com.google.gson.Gson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * The Beam pipeline's labelling step: unlabelled records in, pseudo-labelled records out (the same
 * {@link BatchLabeller} as the single-process stage), plus the label statistics of each bundle as
 * JSON on a second output. Each DoFn instance loads the teachers once ({@code @Setup}; a runner
 * reuses an instance for many bundles) and closes them in {@code @Teardown}; records are labelled
 * in batches of {@code batch_size} collected within a bundle, the last partial batch when the
 * bundle finishes.
 */
final class LabelBatchesFn extends DoFn<byte[], byte[]> {
  static final TupleTag<byte[]> RECORDS = new TupleTag<>("records") {};
  static final TupleTag<String> STATISTICS = new TupleTag<>("statistics") {};
  private static final Gson GSON = new Gson();

  private final ArrayList<SavedModelTeacher> teachers;
  private final String modelDir;
  private final int batchSize;
  private final String inputs;
  private transient BatchLabeller labeller;
  private transient List<UnlabelledImage> batch;
  private transient Map<String, TaskStatistics> stats;

  /**
   * @param modelDir resolves relative teacher directories; every worker must see it at this path
   * @param inputs the input patterns, for error messages (Beam's reader does not give file and index)
   */
  LabelBatchesFn(List<SavedModelTeacher> teachers, Path modelDir, int batchSize, String inputs) {
    this.teachers = new ArrayList<>(teachers);
    this.modelDir = modelDir.toAbsolutePath().toString();
    this.batchSize = batchSize;
    this.inputs = inputs;
  }

  @Setup
  public void setup() {
    labeller = BatchLabeller.load(teachers, Path.of(modelDir), (config, loaded) -> {});
  }

  @StartBundle
  public void startBundle() {
    batch = new ArrayList<>();
    stats = labeller.newStatistics();
  }

  @ProcessElement
  public void processElement(@Element byte[] record, MultiOutputReceiver out) {
    batch.add(UnlabelledImage.parse(record, "a record of " + inputs));
    if (batch.size() == batchSize) flush(r -> out.get(RECORDS).output(r));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext c) {
    // TFRecordIO's elements live in the global window at the minimum timestamp; so do these.
    Instant t = BoundedWindow.TIMESTAMP_MIN_VALUE;
    if (!batch.isEmpty()) flush(r -> c.output(RECORDS, r, t, GlobalWindow.INSTANCE));
    c.output(STATISTICS, GSON.toJson(stats), t, GlobalWindow.INSTANCE);
  }

  private void flush(Consumer<byte[]> out) {
    List<UnlabelledImage> images = batch;
    for (byte[] r : labeller.label(images, i -> "a record of " + inputs + " ('" + images.get(i).sourceId() + "')", stats)) {
      out.accept(r);
    }
    batch = new ArrayList<>();
  }

  @Teardown
  public void teardown() {
    if (labeller != null) labeller.close();
    labeller = null;
  }
}
