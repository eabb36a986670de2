package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Operand;
import org.tensorflow.Tensor;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

/**
 * The tensors of a batch with every task have exactly the dtypes and static shapes the {@link
 * InputBatch} table (and the models' {@code LabelKeys}) document, in training (static batch) and
 * evaluation (dynamic batch), and the fetched values have those shapes too.
 */
class InputBatchContractTest {
  private static final long S = 8;
  private static final long M = 3;
  private static final long C = TinyRecords.CLASSES;

  @TempDir Path dir;

  /** The documented contract: name to (dtype, shape with {@code -1} standing for B). */
  private record Component(Class<? extends TType> type, long... shape) {}

  private static Map<String, Component> documented() {
    Map<String, Component> m = new LinkedHashMap<>();
    m.put(InputBatch.IMAGE, new Component(TFloat32.class, -1, S, S, 3));
    m.put(InputBatch.SOURCE_ID, new Component(TString.class, -1));
    m.put(InputBatch.ORIGINAL_HEIGHT, new Component(TInt32.class, -1));
    m.put(InputBatch.ORIGINAL_WIDTH, new Component(TInt32.class, -1));
    m.put(InputBatch.SCALE, new Component(TFloat32.class, -1));
    m.put(InputBatch.CLASS_LABEL, new Component(TInt32.class, -1));
    m.put(InputBatch.CLASS_PROBS, new Component(TFloat32.class, -1, C));
    m.put(InputBatch.BOXES, new Component(TFloat32.class, -1, M, 4));
    m.put(InputBatch.BOX_CLASSES, new Component(TInt32.class, -1, M));
    m.put(InputBatch.NUM_BOXES, new Component(TInt32.class, -1));
    m.put(InputBatch.DETECTION_LABELLED, new Component(TFloat32.class, -1));
    m.put(InputBatch.SEGMENTATION, new Component(TInt32.class, -1, S, S));
    m.put(InputBatch.DEPTH, new Component(TFloat32.class, -1, S, S));
    m.put(InputBatch.DEPTH_VALID, new Component(TFloat32.class, -1, S, S));
    m.put(InputBatch.DEPTH_TYPE, new Component(TInt32.class, -1));
    m.put(InputBatch.NORMALS, new Component(TFloat32.class, -1, S, S, 3));
    m.put(InputBatch.NORMALS_VALID, new Component(TFloat32.class, -1, S, S));
    return m;
  }

  private List<String> files() throws IOException {
    TinyRecords.write(dir.resolve("data-00000-of-00001"), 0, 5);
    return List.of(dir.resolve("data-*").toString());
  }

  @Test
  void trainingBatchHasTheDocumentedStaticShapes() throws IOException {
    check(InputPipeline.builder(files(), EnumSet.allOf(Task.class)).training(true).seed(1L), 4, 4);
  }

  @Test
  void evaluationBatchHasTheDocumentedShapesWithADynamicBatch() throws IOException {
    check(InputPipeline.builder(files(), EnumSet.allOf(Task.class)).training(false), -1, 4);
  }

  /**
   * @param staticBatch the expected static B ({@code -1}: unknown)
   * @param firstBatch the size of the first fetched batch
   */
  private static void check(InputPipeline.Builder builder, long staticBatch, long firstBatch) {
    InputPipeline pipeline = builder.batchSize(4).imageSize((int) S).maxBoxes((int) M).numClasses((int) C).build();
    Map<String, Component> expected = documented();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      assertEquals(List.copyOf(expected.keySet()), List.copyOf(f.batch.tensors().keySet()), "component names");
      for (Map.Entry<String, Component> e : expected.entrySet()) {
        Operand<?> t = f.tensor(e.getKey());
        assertEquals(e.getValue().type(), t.type(), e.getKey() + " dtype");
        assertArrayEquals(withBatch(e.getValue().shape(), staticBatch), t.shape().asArray(),
            e.getKey() + " static shape " + t.shape());
      }
      try (BatchFetcher.Fetched b = f.next()) {
        for (Map.Entry<String, Component> e : expected.entrySet()) {
          Tensor t = b.get(e.getKey());
          assertArrayEquals(withBatch(e.getValue().shape(), firstBatch), t.shape().asArray(),
              e.getKey() + " fetched shape " + t.shape());
        }
      }
    }
  }

  private static long[] withBatch(long[] shape, long batch) {
    long[] out = shape.clone();
    out[0] = batch;
    return out;
  }
}
