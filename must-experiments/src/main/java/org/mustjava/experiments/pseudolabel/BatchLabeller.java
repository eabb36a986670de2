package org.mustjava.experiments.pseudolabel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.data.example.MultiTaskExample;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * The loaded teachers and what turns a batch of unlabelled images into pseudo-labelled records:
 * decoding and resizing per teacher, one teacher call per batch (in padded chunks for a teacher
 * with a static batch size), the labels in the original image's coordinates. Shared by the
 * single-process stage and the Beam pipeline's DoFn, so both write the same records, and by the
 * figure stage ({@code PredictionPanels}), which draws what {@link #predict} returns.
 */
public final class BatchLabeller implements AutoCloseable {
  private final List<Teacher> loaded;
  private final ImagePreprocessor pre;
  private final PixelMapResizer resizer;
  private final List<LabelMaker> makers = new ArrayList<>();

  private BatchLabeller(List<Teacher> loaded) {
    this.loaded = loaded;
    this.pre = new ImagePreprocessor(loaded);
    this.resizer = new PixelMapResizer();
    for (Teacher t : loaded) makers.add(new LabelMaker(t, resizer));
  }

  /**
   * Loads every teacher ({@code directory} relative to {@code modelDir}); {@code onLoaded} gets each
   * one as it is loaded (the stage logs its optimisation).
   */
  public static BatchLabeller load(List<SavedModelTeacher> teachers, Path modelDir, java.util.function.BiConsumer<SavedModelTeacher, Teacher> onLoaded) {
    List<Teacher> loaded = Teacher.loadAll(teachers, modelDir, onLoaded);
    try {
      return new BatchLabeller(loaded);
    } catch (RuntimeException | Error e) {
      for (Teacher t : loaded) t.close();
      throw e;
    }
  }

  /** Empty statistics, one per teacher, keyed by task name (what {@link #label} adds to). */
  Map<String, TaskStatistics> newStatistics() {
    Map<String, TaskStatistics> stats = new LinkedHashMap<>();
    for (Teacher t : loaded) stats.put(t.task().name(), TaskStatistics.of(t.task()));
    return stats;
  }

  /**
   * The pseudo-labelled records of {@code images}, in their order.
   *
   * @param who names image i in errors
   */
  List<byte[]> label(List<UnlabelledImage> images, java.util.function.IntFunction<String> who,
      Map<String, TaskStatistics> stats) {
    List<byte[]> out = new ArrayList<>();
    for (MultiTaskExample.Builder b : builders(images, who, stats)) out.add(b.build().toByteArray());
    return out;
  }

  /**
   * Every teacher's labels for {@code images}, in their order, as examples holding the image and
   * one label per teacher (the records {@link #label} writes, parsed).
   *
   * @param who names image i in errors
   */
  public List<MultiTaskExample> predict(List<UnlabelledImage> images, java.util.function.IntFunction<String> who) {
    List<MultiTaskExample> out = new ArrayList<>();
    for (MultiTaskExample.Builder b : builders(images, who, newStatistics())) out.add(b.build());
    return out;
  }

  private List<MultiTaskExample.Builder> builders(List<UnlabelledImage> images, java.util.function.IntFunction<String> who,
      Map<String, TaskStatistics> stats) {
    int n = images.size();
    List<Tensor> batches = new ArrayList<>();
    List<MultiTaskExample.Builder> builders = new ArrayList<>();
    try {
      for (Teacher t : loaded) batches.add(newBatch(t, n));
      List<List<InputGeometry>> geometries = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        UnlabelledImage im = images.get(i);
        List<InputGeometry> g = new ArrayList<>();
        for (Teacher t : loaded) g.add(t.geometry(im.height(), im.width()));
        geometries.add(g);
        pre.preprocess(im.encoded(), g, batches, i, who.apply(i));
        builders.add(MultiTaskExample.builder(im.encoded(), im.format(), im.height(), im.width()).sourceId(im.sourceId()));
      }
      for (int k = 0; k < loaded.size(); k++) {
        Teacher t = loaded.get(k);
        TaskStatistics st = stats.get(t.task().name());
        int f = t.fixedBatchSize();
        if (f == 0) {
          try (Teacher.Outputs out = t.run(batches.get(k), n)) {
            for (int i = 0; i < n; i++) makers.get(k).label(out, i, geometries.get(i).get(k), builders.get(i), st);
          }
          continue;
        }
        // A teacher whose input has a static batch size f: chunks of f images, the last one
        // padded with zero images whose outputs are dropped.
        for (int c = 0; c < n; c += f) {
          int m = Math.min(f, n - c);
          try (Tensor chunk = newBatch(t, f)) {
            for (int i = 0; i < m; i++) copyRow(batches.get(k), c + i, chunk, i);
            try (Teacher.Outputs out = t.run(chunk, f)) {
              for (int i = 0; i < m; i++) makers.get(k).label(out, i, geometries.get(c + i).get(k), builders.get(c + i), st);
            }
          }
        }
      }
    } finally {
      for (Tensor b : batches) b.close();
    }
    return builders;
  }

  /** A zeroed {@code [rows, S, S, 3]} input batch of the teacher's type (new tensors are not zeroed). */
  private static Tensor newBatch(Teacher t, int rows) {
    Shape s = Shape.of(rows, t.inputSize(), t.inputSize(), 3);
    return t.uint8Input() ? TUint8.tensorOf(NdArrays.ofBytes(s)) : TFloat32.tensorOf(NdArrays.ofFloats(s));
  }

  private static void copyRow(Tensor from, int fromRow, Tensor to, int toRow) {
    if (from instanceof TFloat32 f) f.get(fromRow).copyTo(((TFloat32) to).get(toRow));
    else ((TUint8) from).get(fromRow).copyTo(((TUint8) to).get(toRow));
  }

  /** The loaded teachers, in the configured order. */
  public List<Teacher> teachers() {
    return List.copyOf(loaded);
  }

  @Override
  public void close() {
    try {
      pre.close();
      resizer.close();
    } finally {
      for (Teacher t : loaded) t.close();
    }
  }
}
