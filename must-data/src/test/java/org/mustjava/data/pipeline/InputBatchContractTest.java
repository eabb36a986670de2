package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelTypes;
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
    m.put(InputBatch.EXAMPLE_VALID, new Component(TFloat32.class, -1));
    m.put(InputBatch.CLASS_LABEL, new Component(TInt32.class, -1));
    m.put(InputBatch.CLASS_PROBS, new Component(TFloat32.class, -1, C));
    m.put(InputBatch.BOXES, new Component(TFloat32.class, -1, M, 4));
    m.put(InputBatch.BOX_CLASSES, new Component(TInt32.class, -1, M));
    m.put(InputBatch.NUM_BOXES, new Component(TInt32.class, -1));
    m.put(InputBatch.BOX_DIFFICULT, new Component(TInt32.class, -1, M));
    m.put(InputBatch.BOX_IS_CROWD, new Component(TInt32.class, -1, M));
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
    check(InputPipeline.builder(files(), LabelTypes.all()).training(true).seed(1L), 4, 4);
  }

  @Test
  void evaluationBatchHasTheDocumentedShapesWithADynamicBatch() throws IOException {
    check(InputPipeline.builder(files(), LabelTypes.all()).training(false), -1, 4);
  }

  @Test
  void paddedEvaluationBatchesHaveAStaticSizeAndMarkThePaddingRows() throws IOException {
    // 5 examples in batches of 4: the second batch is example 4 and three padding rows.
    InputPipeline pipeline = InputPipeline.builder(files(), LabelTypes.all()).training(false)
        .padFinalBatch(true).batchSize(4).imageSize((int) S).maxBoxes((int) M).numClasses((int) C).build();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      for (Map.Entry<String, Component> e : documented().entrySet()) {
        assertArrayEquals(withBatch(e.getValue().shape(), 4), f.tensor(e.getKey()).shape().asArray(), e.getKey());
      }
      try (BatchFetcher.Fetched first = f.next()) {
        TFloat32 valid = first.get(InputBatch.EXAMPLE_VALID);
        for (int i = 0; i < 4; i++) assertEquals(1f, valid.getFloat(i));
        // Example 2: boxes 0 and 1, box 1 difficult; example 3: box 2 is a crowd.
        TInt32 difficult = first.get(InputBatch.BOX_DIFFICULT);
        TInt32 crowd = first.get(InputBatch.BOX_IS_CROWD);
        assertArrayEquals(new int[] {0, 1, 0}, new int[] {difficult.getInt(2, 0), difficult.getInt(2, 1), difficult.getInt(2, 2)});
        assertArrayEquals(new int[] {0, 0, 1}, new int[] {crowd.getInt(3, 0), crowd.getInt(3, 1), crowd.getInt(3, 2)});
      }
      try (BatchFetcher.Fetched last = f.next()) {
        TFloat32 valid = last.get(InputBatch.EXAMPLE_VALID);
        assertArrayEquals(new float[] {1, 0, 0, 0},
            new float[] {valid.getFloat(0), valid.getFloat(1), valid.getFloat(2), valid.getFloat(3)});
        TInt32 labels = last.get(InputBatch.CLASS_LABEL);
        TInt32 numBoxes = last.get(InputBatch.NUM_BOXES);
        TInt32 segmentation = last.get(InputBatch.SEGMENTATION);
        TFloat32 depthValid = last.get(InputBatch.DEPTH_VALID);
        TString ids = last.get(InputBatch.SOURCE_ID);
        assertEquals("img4", ids.getObject(0));
        for (int row = 1; row < 4; row++) {
          // Padding rows carry "no label" everywhere.
          assertEquals(-1, labels.getInt(row));
          assertEquals(0, numBoxes.getInt(row));
          assertEquals(255, segmentation.getInt(row, 3, 3));
          assertEquals(0f, depthValid.getFloat(row, 3, 3));
          assertEquals("", ids.getObject(row));
        }
      }
      assertThrows(org.tensorflow.exceptions.TFOutOfRangeException.class, () -> f.next().close());
    }
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
