package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.DepthType;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;

/**
 * Pseudo-label decoding (inverse-relative depth) and the "MuST + supervised labels" mix: the
 * pipeline's own fully labelled records mixed uniformly with a source that carries only
 * classification labels.
 */
class MixedPipelineTest {
  private static final int S = 8;
  private static final Set<LabelType> ALL = LabelTypes.all();

  @TempDir Path dir;

  /** Fully labelled records img0..img7 (TinyRecords) in two files. */
  private List<String> pseudoLabelled() throws IOException {
    TinyRecords.write(dir.resolve("pseudo-00000-of-00002"), 0, 4);
    TinyRecords.write(dir.resolve("pseudo-00001-of-00002"), 4, 8);
    return List.of(dir.resolve("pseudo-*").toString());
  }

  /** Records cls0..cls5 with an image and a hard class label (2) only. */
  private List<String> classificationOnly() throws IOException {
    Path file = dir.resolve("cls-00000-of-00001");
    try (TFRecordWriter w = TFRecordWriter.create(file, org.mustjava.core.io.Compression.NONE)) {
      for (int i = 0; i < 6; i++) {
        byte[] rgb = new byte[TinyRecords.H * TinyRecords.W * 3];
        w.write(MultiTaskExample.builder(ImageCodecs.encodeRgbPng(rgb, TinyRecords.H, TinyRecords.W),
                FeatureKeys.FORMAT_PNG, TinyRecords.H, TinyRecords.W)
            .sourceId("cls" + i).classLabel(2).build().toByteArray());
      }
      w.commit();
    }
    return List.of(file.toString());
  }

  private InputPipeline.Builder mixed(List<String> files, List<String> extra) {
    return InputPipeline.builder(files, ALL)
        .batchSize(4).imageSize(S).numClasses(TinyRecords.CLASSES).softLabels(true).seed(11L).shuffleBuffer(16)
        .mixedIn(List.of(new DataSource(extra, Set.of(LabelTypes.CLASSIFICATION), false, "raw_float32")));
  }

  private static List<String> sourceIds(BatchFetcher f, int batches) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < batches; i++) {
      try (BatchFetcher.Fetched b = f.next()) {
        TString t = b.get(InputBatch.SOURCE_ID);
        for (int k = 0; k < t.shape().get(0); k++) ids.add(t.getObject(k));
      }
    }
    return ids;
  }

  @Test
  void inverseRelativeDepthIsValidWhereFiniteAndTyped() throws IOException {
    Path file = dir.resolve("inv-00000-of-00001");
    try (TFRecordWriter w = TFRecordWriter.create(file, org.mustjava.core.io.Compression.NONE)) {
      for (int i = 0; i < 2; i++) {
        Example e = TinyRecords.example(i).toExample();
        Example.Builder b = e.toBuilder();
        if (i == 1) {
          b.getFeaturesBuilder().putFeature(FeatureKeys.DEPTH_TYPE, Feature.newBuilder().setBytesList(
              BytesList.newBuilder().addValue(com.google.protobuf.ByteString.copyFromUtf8(
                  FeatureKeys.DEPTH_INVERSE_RELATIVE))).build());
        }
        w.write(b.build().toByteArray());
      }
      w.commit();
    }
    assertEquals("inverse_relative", FeatureKeys.DEPTH_INVERSE_RELATIVE);
    InputPipeline p = InputPipeline.builder(List.of(file.toString()), Set.of(LabelTypes.DEPTH))
        .training(false).batchSize(2).imageSize(TinyRecords.W).build();
    try (BatchFetcher f = new BatchFetcher(p); BatchFetcher.Fetched b = f.next()) {
      TInt32 type = b.get(InputBatch.DEPTH_TYPE);
      TFloat32 valid = b.get(InputBatch.DEPTH_VALID);
      assertEquals(DepthType.METRIC.code(), type.getInt(0));
      assertEquals(DepthType.INVERSE_RELATIVE.code(), type.getInt(1));
      // Pixel (0, 0) is NaN in both records: invalid; (0, 1) holds a finite value: valid.
      assertEquals(0f, valid.getFloat(1, 0, 0));
      assertEquals(1f, valid.getFloat(1, 0, 1));
    }
  }

  @Test
  void unknownDepthTypeFailsNamingTheFeature() throws IOException {
    Path file = dir.resolve("bad-00000-of-00001");
    try (TFRecordWriter w = TFRecordWriter.create(file, org.mustjava.core.io.Compression.NONE)) {
      Example.Builder b = TinyRecords.example(0).toExample().toBuilder();
      b.getFeaturesBuilder().putFeature(FeatureKeys.DEPTH_TYPE, Feature.newBuilder().setBytesList(
          BytesList.newBuilder().addValue(com.google.protobuf.ByteString.copyFromUtf8("disparity"))).build());
      w.write(b.build().toByteArray());
      w.commit();
    }
    InputPipeline p = InputPipeline.builder(List.of(file.toString()), Set.of(LabelTypes.DEPTH))
        .training(false).batchSize(1).imageSize(S).build();
    try (BatchFetcher f = new BatchFetcher(p)) {
      Exception e = assertThrows(Exception.class, () -> f.next().close());
      assertTrue(e.getMessage().contains(FeatureKeys.DEPTH_TYPE) && e.getMessage().contains("disparity"),
          e.getMessage());
    }
  }

  @Test
  void mixedInSourceGivesNoLabelValuesForTheTasksItLacks() throws IOException {
    InputPipeline p = mixed(pseudoLabelled(), classificationOnly()).build();
    int fromCls = 0;
    int total = 0;
    try (BatchFetcher f = new BatchFetcher(p)) {
      for (int step = 0; step < 8; step++) {
        try (BatchFetcher.Fetched b = f.next()) {
          TString ids = b.get(InputBatch.SOURCE_ID);
          TInt32 seg = b.get(InputBatch.SEGMENTATION);
          TFloat32 depthValid = b.get(InputBatch.DEPTH_VALID);
          TFloat32 normalsValid = b.get(InputBatch.NORMALS_VALID);
          TFloat32 detLabelled = b.get(InputBatch.DETECTION_LABELLED);
          TInt32 numBoxes = b.get(InputBatch.NUM_BOXES);
          TInt32 label = b.get(InputBatch.CLASS_LABEL);
          TFloat32 probs = b.get(InputBatch.CLASS_PROBS);
          for (int k = 0; k < 4; k++) {
            total++;
            boolean cls = ids.getObject(k).startsWith("cls");
            if (!cls) {
              // Pseudo-labelled: the soft label as stored (0.7 / 0.3) and detection labels.
              int i = Integer.parseInt(ids.getObject(k).substring("img".length()));
              assertEquals(0.7f, probs.getFloat(k, i % TinyRecords.CLASSES));
              assertEquals(1f, detLabelled.getFloat(k));
              continue;
            }
            fromCls++;
            assertEquals(2, label.getInt(k));
            assertEquals(1f, probs.getFloat(k, 2));
            assertEquals(0f, detLabelled.getFloat(k));
            assertEquals(0, numBoxes.getInt(k));
            for (int y = 0; y < S; y++) {
              for (int x = 0; x < S; x++) {
                assertEquals(255, seg.getInt(k, y, x));
                assertEquals(0f, depthValid.getFloat(k, y, x));
                assertEquals(0f, normalsValid.getFloat(k, y, x));
              }
            }
          }
        }
      }
    }
    // Uniform over two sources: 32 draws, 16 expected from each (P(outside 6..26) < 1e-3).
    assertTrue(fromCls >= 6 && fromCls <= 26, fromCls + " of " + total + " from the mixed-in source");
  }

  @Test
  void mixedStreamIsDeterministicAndResumesExactly() throws IOException {
    InputPipeline p = mixed(pseudoLabelled(), classificationOnly()).build();
    List<String> full;
    List<float[]> fullImages = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(p)) {
      full = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        try (BatchFetcher.Fetched b = f.next()) {
          TString t = b.get(InputBatch.SOURCE_ID);
          for (int k = 0; k < 4; k++) full.add(t.getObject(k));
          fullImages.add(flat(b.get(InputBatch.IMAGE)));
        }
      }
    }
    try (BatchFetcher again = new BatchFetcher(p)) {
      assertEquals(full, sourceIds(again, 7), "same seed, same stream");
    }
    // Resume at step 3 (12 elements in): the remaining batches equal the uninterrupted run's.
    try (BatchFetcher resumed = new BatchFetcher(p, 3 * 4)) {
      for (int i = 3; i < 7; i++) {
        try (BatchFetcher.Fetched b = resumed.next()) {
          TString t = b.get(InputBatch.SOURCE_ID);
          for (int k = 0; k < 4; k++) assertEquals(full.get(4 * i + k), t.getObject(k), "step " + i);
          assertArrayEquals(fullImages.get(i), flat(b.get(InputBatch.IMAGE)), "augmented images of step " + i);
        }
      }
    }
  }

  @Test
  void mixedInSourceMustLabelOnlyThePipelinesTasks() throws IOException {
    List<String> files = pseudoLabelled();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        InputPipeline.builder(files, Set.of(LabelTypes.SEGMENTATION))
            .mixedIn(List.of(new DataSource(files, Set.of(LabelTypes.DEPTH), false, "raw_float32"))).build());
    assertTrue(e.getMessage().contains("mixed_in"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () ->
        InputPipeline.builder(files, Set.of(LabelTypes.SEGMENTATION)).training(false)
            .mixedIn(List.of(new DataSource(files, Set.of(LabelTypes.SEGMENTATION), false, "raw_float32"))).build());
    assertTrue(e.getMessage().contains("training"), e.getMessage());
  }

  @Test
  void scheduleCountsMatchItsPattern() {
    MixingSchedule s = new MixingSchedule(3, 5L);
    long[] pattern = s.pattern();
    long n = 2L * MixingSchedule.PERIOD + 100;
    long[] expected = new long[3];
    for (long k = 0; k < n; k++) expected[(int) pattern[(int) (k % MixingSchedule.PERIOD)]]++;
    assertArrayEquals(expected, s.countsBefore(n));
    // Roughly uniform: each source within 10% of a third of the period.
    long[] one = s.countsBefore(MixingSchedule.PERIOD);
    for (long c : one) assertTrue(Math.abs(c - MixingSchedule.PERIOD / 3.0) < MixingSchedule.PERIOD * 0.1, "" + c);
  }

  private static float[] flat(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }
}
