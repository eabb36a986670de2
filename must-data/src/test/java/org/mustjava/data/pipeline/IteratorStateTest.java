package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.checkpoint.IteratorState;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * The training pipeline's iterator (file shuffling, interleave, shuffle buffer, seeded
 * augmentation, batching, prefetch) saved mid-stream and restored in a fresh graph and session
 * continues exactly where it stopped: the same examples and the same augmented pixels.
 */
class IteratorStateTest {
  @TempDir Path dir;

  @Test
  void aRestoredIteratorContinuesTheStreamBitForBit() throws IOException {
    for (int f = 0; f < 4; f++) TinyRecords.write(dir.resolve("part-" + f), 5 * f, 5 * f + 5);
    InputPipeline pipeline = InputPipeline.builder(List.of(dir.resolve("part-*").toString()), LabelTypes.all())
        .imageSize(16).batchSize(3).shuffleBuffer(8).seed(13L).scaleJitter(0.5f, 2.0f).build();
    Path checkpoint = Files.createDirectories(dir.resolve("ckpt"));
    List<String> expected = new ArrayList<>();
    List<float[]> expectedPixels = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      IteratorState state = new IteratorState(f.tf.withSubScope("saver"), f.batch.iterator());
      // Seven batches: past the first epoch (20 examples), so the reshuffle state matters too.
      for (int i = 0; i < 7; i++) f.next().close();
      state.save(f.session, checkpoint);
      for (int i = 0; i < 4; i++) read(f, expected, expectedPixels);
    }
    assertTrue(IteratorState.exists(checkpoint));

    List<String> resumed = new ArrayList<>();
    List<float[]> resumedPixels = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      new IteratorState(f.tf.withSubScope("saver"), f.batch.iterator()).restore(f.session, checkpoint);
      for (int i = 0; i < 4; i++) read(f, resumed, resumedPixels);
    }
    assertEquals(expected, resumed);
    for (int i = 0; i < expectedPixels.size(); i++) assertArrayEquals(expectedPixels.get(i), resumedPixels.get(i), "batch " + i);

    // Not vacuous: a fresh iterator starts elsewhere.
    List<String> fresh = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      for (int i = 0; i < 4; i++) read(f, fresh, new ArrayList<>());
    }
    assertTrue(!fresh.equals(expected), "the restored stream differs from a fresh one: " + fresh);
  }

  private static void read(BatchFetcher f, List<String> ids, List<float[]> pixels) {
    try (BatchFetcher.Fetched b = f.next()) {
      TString s = b.get(InputBatch.SOURCE_ID);
      for (int k = 0; k < s.shape().size(0); k++) ids.add(s.getObject(k));
      TFloat32 image = b.get(InputBatch.IMAGE);
      float[] v = new float[(int) image.size()];
      image.asRawTensor().data().asFloats().read(v);
      pixels.add(v);
    }
  }
}
