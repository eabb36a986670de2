package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

class InputPipelineTest {
  private static final int S = 8;
  private static final Set<LabelType> ALL = LabelTypes.all();

  @TempDir Path dir;

  private List<String> twoFiles() throws IOException {
    TinyRecords.write(dir.resolve("data-00000-of-00002"), 0, 3);
    TinyRecords.write(dir.resolve("data-00001-of-00002"), 3, 5);
    return List.of(dir.resolve("data-*").toString());
  }

  private static int exampleIndex(String sourceId) {
    return Integer.parseInt(sourceId.substring("img".length()));
  }

  @Test
  void evalPassKeepsEveryLabelPadsAndEnds() throws IOException {
    InputPipeline pipeline =
        InputPipeline.builder(twoFiles(), ALL)
            .training(false)
            .batchSize(2)
            .imageSize(S)
            .maxBoxes(3)
            .numClasses(TinyRecords.CLASSES)
            .build();
    List<Integer> seen = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      assertArrayEquals(new long[] {-1, S, S, 3}, f.tensor(InputBatch.IMAGE).shape().asArray());
      assertArrayEquals(new long[] {-1, 3, 4}, f.tensor(InputBatch.BOXES).shape().asArray());
      assertArrayEquals(new long[] {-1, S, S}, f.tensor(InputBatch.SEGMENTATION).shape().asArray());
      assertEquals(TInt32.class, f.tensor(InputBatch.SEGMENTATION).type());
      int[] batchSizes = {2, 2, 1};
      for (int expectedSize : batchSizes) {
        try (BatchFetcher.Fetched b = f.next()) {
          TString ids = b.get(InputBatch.SOURCE_ID);
          assertEquals(expectedSize, ids.shape().size(0));
          for (int k = 0; k < expectedSize; k++) {
            int i = exampleIndex(ids.getObject(k));
            seen.add(i);
            checkEvalExample(b, k, i);
          }
        }
      }
      assertThrows(TFOutOfRangeException.class, f::next);
    }
    assertEquals(List.of(0, 1, 2, 3, 4), seen);
  }

  /** Eval fits 6x8 into 8x8 without resizing: rows 6..7 are padding, y coordinates scale by 6/8. */
  private static void checkEvalExample(BatchFetcher.Fetched b, int k, int i) {
    TFloat32 image = b.get(InputBatch.IMAGE);
    for (int y = 0; y < S; y++) {
      for (int x = 0; x < S; x++) {
        float[] expected = y < TinyRecords.H ? new float[] {10 * i + y, x, 7} : null;
        for (int c = 0; c < 3; c++) {
          float v = image.getFloat(k, y, x, c);
          if (expected == null) {
            assertEquals(0f, v, 0f, "image padding");
          } else {
            assertEquals(expected[c], ImageNormalization.denormalize(v, c), 1e-3f);
          }
        }
      }
    }
    TInt32 label = b.get(InputBatch.CLASS_LABEL);
    assertEquals(i % 3, label.getInt(k));
    TFloat32 probs = b.get(InputBatch.CLASS_PROBS);
    for (int c = 0; c < 3; c++) {
      assertEquals(c == i % 3 ? 1f : 0f, probs.getFloat(k, c), 0f, "one-hot of the hard label");
    }
    TInt32 numBoxes = b.get(InputBatch.NUM_BOXES);
    TFloat32 boxes = b.get(InputBatch.BOXES);
    TInt32 boxClasses = b.get(InputBatch.BOX_CLASSES);
    int n = i % 4;
    assertEquals(n, numBoxes.getInt(k));
    for (int r = 0; r < 3; r++) {
      if (r < n) {
        assertEquals(0.1f * r * 0.75f, boxes.getFloat(k, r, 0), 1e-6f);
        assertEquals(0.25f, boxes.getFloat(k, r, 1), 1e-6f);
        assertEquals((0.1f * r + 0.5f) * 0.75f, boxes.getFloat(k, r, 2), 1e-6f);
        assertEquals(0.75f, boxes.getFloat(k, r, 3), 1e-6f);
        assertEquals(r + i, boxClasses.getInt(k, r));
      } else {
        assertEquals(-1, boxClasses.getInt(k, r), "class padding");
        assertEquals(0f, boxes.getFloat(k, r, 2), 0f, "box padding");
      }
    }
    TInt32 seg = b.get(InputBatch.SEGMENTATION);
    TFloat32 depth = b.get(InputBatch.DEPTH);
    TFloat32 depthValid = b.get(InputBatch.DEPTH_VALID);
    TFloat32 normals = b.get(InputBatch.NORMALS);
    TFloat32 normalsValid = b.get(InputBatch.NORMALS_VALID);
    for (int y = 0; y < S; y++) {
      for (int x = 0; x < S; x++) {
        boolean inside = y < TinyRecords.H;
        assertEquals(inside ? (y + x + i) % 5 : 255, seg.getInt(k, y, x), "segmentation");
        boolean nan = y == 0 && x == 0;
        assertEquals(inside && !nan ? 1f : 0f, depthValid.getFloat(k, y, x), "depth valid");
        assertEquals(inside && !nan ? 1f + x + 0.5f * i : 0f, depth.getFloat(k, y, x), 1e-6f);
        assertEquals(inside ? 1f : 0f, normalsValid.getFloat(k, y, x), "normals valid");
        float nx = inside && x < TinyRecords.W / 2 ? 1f : 0f;
        float nz = inside && x >= TinyRecords.W / 2 ? -1f : 0f;
        assertEquals(nx, normals.getFloat(k, y, x, 0), 0f);
        assertEquals(nz, normals.getFloat(k, y, x, 2), 0f);
      }
    }
  }

  @Test
  void trainingBatchesAreStaticRepeatAndKeepLabelsPaired() throws IOException {
    InputPipeline pipeline =
        InputPipeline.builder(twoFiles(), ALL)
            .batchSize(4)
            .imageSize(S)
            .maxBoxes(2)
            .seed(11L)
            .build();
    int[] perExample = new int[5];
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      assertArrayEquals(new long[] {4, S, S, 3}, f.tensor(InputBatch.IMAGE).shape().asArray());
      assertArrayEquals(new long[] {4, 2, 4}, f.tensor(InputBatch.BOXES).shape().asArray());
      assertArrayEquals(new long[] {4, S, S}, f.tensor(InputBatch.DEPTH_VALID).shape().asArray());
      assertNull(f.batch.classProbs(), "no class_probs without num_classes");
      for (int step = 0; step < 5; step++) { // 20 elements = 4 epochs of 5
        try (BatchFetcher.Fetched b = f.next()) {
          TString ids = b.get(InputBatch.SOURCE_ID);
          TInt32 labels = b.get(InputBatch.CLASS_LABEL);
          TInt32 numBoxes = b.get(InputBatch.NUM_BOXES);
          TInt32 boxClasses = b.get(InputBatch.BOX_CLASSES);
          TInt32 seg = b.get(InputBatch.SEGMENTATION);
          for (int k = 0; k < 4; k++) {
            int i = exampleIndex(ids.getObject(k));
            perExample[i]++;
            assertEquals(i % 3, labels.getInt(k));
            int n = numBoxes.getInt(k);
            assertTrue(n <= Math.min(2, i % 4), "at most the example's boxes, capped at max_boxes");
            for (int r = 0; r < 2; r++) {
              int c = boxClasses.getInt(k, r);
              assertTrue(r < n ? c >= i && c < i + 3 : c == -1, "box class " + c);
            }
            for (int y = 0; y < S; y++) {
              for (int x = 0; x < S; x++) {
                int v = seg.getInt(k, y, x);
                assertTrue(v == 255 || (v >= 0 && v < 5), "segmentation value " + v);
              }
            }
          }
        }
      }
    }
    for (int count : perExample) {
      assertEquals(4, count, "every example once per epoch over 4 epochs");
    }
  }

  private static List<float[]> firstImages(InputPipeline pipeline, int batches) {
    List<float[]> out = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      for (int s = 0; s < batches; s++) {
        try (BatchFetcher.Fetched b = f.next()) {
          TFloat32 image = b.get(InputBatch.IMAGE);
          float[] values = new float[(int) image.shape().size()];
          image.asRawTensor().data().asFloats().read(values);
          out.add(values);
        }
      }
    }
    return out;
  }

  @Test
  void fixedSeedGivesIdenticalBatches() throws IOException {
    List<String> files = twoFiles();
    InputPipeline.Builder b =
        InputPipeline.builder(files, Set.of(LabelTypes.SEGMENTATION)).batchSize(3).imageSize(S);
    List<float[]> first = firstImages(b.seed(5L).parallelism(2).build(), 3);
    List<float[]> again = firstImages(b.seed(5L).parallelism(1).build(), 3);
    List<float[]> other = firstImages(b.seed(6L).parallelism(2).build(), 3);
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(first.get(i), again.get(i), "batch " + i + " with the same seed");
    }
    boolean differs = false;
    for (int i = 0; i < first.size(); i++) {
      differs |= !java.util.Arrays.equals(first.get(i), other.get(i));
    }
    assertTrue(differs, "another seed gives other batches");
  }

  @Test
  void softLabelsGiveProbabilitiesAndTheirArgmax() throws IOException {
    InputPipeline pipeline =
        InputPipeline.builder(twoFiles(), Set.of(LabelTypes.CLASSIFICATION))
            .training(false)
            .batchSize(5)
            .imageSize(S)
            .numClasses(3)
            .softLabels(true)
            .build();
    try (BatchFetcher f = new BatchFetcher(pipeline);
        BatchFetcher.Fetched b = f.next()) {
      assertNull(f.batch.boxes());
      TString ids = b.get(InputBatch.SOURCE_ID);
      TFloat32 probs = b.get(InputBatch.CLASS_PROBS);
      TInt32 labels = b.get(InputBatch.CLASS_LABEL);
      for (int k = 0; k < 5; k++) {
        int i = exampleIndex(ids.getObject(k));
        assertEquals(0.7f, probs.getFloat(k, i % 3), 0f);
        assertEquals(0.3f, probs.getFloat(k, (i + 1) % 3), 0f);
        assertEquals(i % 3, labels.getInt(k));
      }
    }
  }

  @Test
  void gzipFilesAreRead() throws IOException {
    TinyRecords.write(dir.resolve("z.tfrecord.gz"), 0, 2, Compression.GZIP);
    InputPipeline pipeline =
        InputPipeline.builder(List.of(dir.resolve("z.tfrecord.gz").toString()), Set.of(LabelTypes.DEPTH))
            .training(false)
            .batchSize(2)
            .imageSize(S)
            .build();
    try (BatchFetcher f = new BatchFetcher(pipeline);
        BatchFetcher.Fetched b = f.next()) {
      TFloat32 depth = b.get(InputBatch.DEPTH);
      assertEquals(2f, depth.getFloat(0, 0, 1), 1e-6f); // 1 + x for example 0
    }
  }

  @Test
  void corruptRecordErrorNamesTheFile() throws IOException {
    Path file = TinyRecords.write(dir.resolve("bad.tfrecord"), 0, 3);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x55; // inside the second record's data
    Files.write(file, bytes);
    InputPipeline pipeline =
        InputPipeline.builder(List.of(file.toString()), Set.of(LabelTypes.CLASSIFICATION))
            .training(false)
            .batchSize(1)
            .imageSize(S)
            .build();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      RuntimeException failure =
          assertThrows(
              RuntimeException.class,
              () -> {
                for (int s = 0; s < 3; s++) {
                  f.next().close();
                }
              });
      RuntimeException explained = f.batch.explainFailure(failure);
      assertTrue(explained instanceof InputDataException, explained.toString());
      assertTrue(explained.getMessage().contains(file.toString()), explained.getMessage());
      assertTrue(explained.getMessage().contains("byte offset"), explained.getMessage());
    }
  }

  @Test
  void missingLabelIsAnErrorNamingTheFeature() throws IOException {
    Path file = dir.resolve("nolabels.tfrecord");
    MultiTaskExample bare =
        MultiTaskExample.builder(
                ImageCodecs.encodeRgbPng(new byte[2 * 2 * 3], 2, 2), FeatureKeys.FORMAT_PNG, 2, 2)
            .build();
    try (TFRecordWriter w = TFRecordWriter.create(file, Compression.NONE)) {
      w.write(bare.toByteArray());
      w.commit();
    }
    InputPipeline pipeline =
        InputPipeline.builder(List.of(file.toString()), Set.of(LabelTypes.SEGMENTATION))
            .training(false)
            .batchSize(1)
            .imageSize(S)
            .build();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      RuntimeException failure = assertThrows(RuntimeException.class, f::next);
      assertTrue(
          failure.getMessage().contains(FeatureKeys.SEGMENTATION_ENCODED), failure.getMessage());
      RuntimeException explained = f.batch.explainFailure(failure);
      assertTrue(explained.getMessage().contains(file.toString()), explained.getMessage());
    }
  }

  @Test
  void noMatchingFilesIsAClearError() {
    InputPipeline pipeline =
        InputPipeline.builder(List.of(dir.resolve("none-*").toString()), ALL).build();
    try (org.tensorflow.Graph g = new org.tensorflow.Graph()) {
      Exception e =
          assertThrows(
              IllegalArgumentException.class,
              () -> pipeline.build(org.tensorflow.op.Ops.create(g)));
      assertTrue(e.getMessage().contains("none-*"), e.getMessage());
    }
    assertFalse(ALL.isEmpty());
  }

  /** Four files of three examples each: file f holds examples 3f, 3f+1, 3f+2. */
  private List<String> fourFiles() throws IOException {
    for (int f = 0; f < 4; f++) {
      TinyRecords.write(dir.resolve("part-" + f), 3 * f, 3 * f + 3);
    }
    return List.of(dir.resolve("part-*").toString());
  }

  /** The example numbers of the first {@code n} training elements, in order. */
  private static List<Integer> trainingOrder(InputPipeline pipeline, int n) {
    List<Integer> order = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      while (order.size() < n) {
        try (BatchFetcher.Fetched b = f.next()) {
          TString ids = b.get(InputBatch.SOURCE_ID);
          for (int k = 0; k < ids.shape().size(0); k++) {
            order.add(exampleIndex(ids.getObject(k)));
          }
        }
      }
    }
    return order.subList(0, n);
  }

  @Test
  void everyEpochReadsTheFilesInANewOrder() throws IOException {
    // Shuffle buffer 1 and one file at a time: the element order shows the file order.
    InputPipeline pipeline =
        InputPipeline.builder(fourFiles(), Set.of(LabelTypes.CLASSIFICATION))
            .imageSize(S).batchSize(3).shuffleBuffer(1).cycleLength(1).seed(21L).build();
    List<Integer> order = trainingOrder(pipeline, 6 * 12);
    Set<List<Integer>> fileOrders = new java.util.HashSet<>();
    for (int epoch = 0; epoch < 6; epoch++) {
      List<Integer> e = order.subList(12 * epoch, 12 * epoch + 12);
      assertEquals(12, new java.util.HashSet<>(e).size(), "epoch " + epoch + " reads every example once: " + e);
      List<Integer> files = new ArrayList<>();
      for (int f = 0; f < 4; f++) {
        int first = e.get(3 * f);
        assertEquals(List.of(first, first + 1, first + 2), e.subList(3 * f, 3 * f + 3),
            "a whole file in sequence: " + e);
        files.add(first / 3);
      }
      fileOrders.add(files);
    }
    assertTrue(fileOrders.size() > 1, "the file order changes between epochs: " + fileOrders);
    assertEquals(order, trainingOrder(pipeline, 6 * 12), "the same seed gives the same orders");
  }

  @Test
  void trainingInterleavesCycleLengthFiles() throws IOException {
    InputPipeline pipeline =
        InputPipeline.builder(fourFiles(), Set.of(LabelTypes.CLASSIFICATION))
            .imageSize(S).batchSize(4).shuffleBuffer(1).cycleLength(2).seed(3L).build();
    List<Integer> e = trainingOrder(pipeline, 12);
    // Two files open at a time, one record from each in turn: (a0 b0 a1 b1 a2 b2) twice.
    for (int half = 0; half < 2; half++) {
      List<Integer> h = e.subList(6 * half, 6 * half + 6);
      int a = h.get(0);
      int b = h.get(1);
      assertEquals(List.of(a, b, a + 1, b + 1, a + 2, b + 2), h, "interleaved pair: " + e);
      assertTrue(a % 3 == 0 && b % 3 == 0 && a != b, "both start a file: " + e);
    }
    assertEquals(12, new java.util.HashSet<>(e).size(), "one epoch: " + e);
  }

  @Test
  void plainAndGzipFilesCanBeMixed() throws IOException {
    TinyRecords.write(dir.resolve("mixed-0"), 0, 2);
    TinyRecords.write(dir.resolve("mixed-1.gz"), 2, 5, Compression.GZIP);
    InputPipeline pipeline =
        InputPipeline.builder(List.of(dir.resolve("mixed-*").toString()), Set.of(LabelTypes.CLASSIFICATION))
            .training(false).imageSize(S).batchSize(5).build();
    try (BatchFetcher f = new BatchFetcher(pipeline);
        BatchFetcher.Fetched b = f.next()) {
      TString ids = b.get(InputBatch.SOURCE_ID);
      List<Integer> seen = new ArrayList<>();
      for (int k = 0; k < ids.shape().size(0); k++) {
        seen.add(exampleIndex(ids.getObject(k)));
      }
      assertEquals(List.of(0, 1, 2, 3, 4), seen, "evaluation reads the files in order");
    }
  }
}
