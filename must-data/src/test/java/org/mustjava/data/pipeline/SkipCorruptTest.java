package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.checkpoint.IteratorState;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.MultiTaskExample;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * {@code Pipeline.skip_corrupt}: a shard with a flipped byte and a record whose PNG does not decode
 * end the run by default, and are skipped and counted with the option, also across an iterator
 * save and restore.
 */
class SkipCorruptTest {
  @TempDir Path dir;

  /**
   * {@code bad}: examples 0-4 with a byte flipped in the middle (record 2); TensorFlow's reader
   * gives up the rest of a file after a bad record, so 0 and 1 survive. {@code good}: examples 5, 6,
   * a record whose image is not a PNG, then 7, 8. Six good examples, two corrupt records.
   */
  private String writeShards() throws IOException {
    Path bad = TinyRecords.write(dir.resolve("data-0"), 0, 5);
    byte[] bytes = Files.readAllBytes(bad);
    bytes[bytes.length / 2] ^= 0x55;
    Files.write(bad, bytes);
    MultiTaskExample broken =
        MultiTaskExample.builder("not a png".getBytes(StandardCharsets.US_ASCII), FeatureKeys.FORMAT_PNG,
                TinyRecords.H, TinyRecords.W)
            .sourceId("broken")
            .classLabel(0)
            .build();
    try (TFRecordWriter w = TFRecordWriter.create(dir.resolve("data-1"), Compression.NONE)) {
      w.write(TinyRecords.example(5).toByteArray());
      w.write(TinyRecords.example(6).toByteArray());
      w.write(broken.toByteArray());
      w.write(TinyRecords.example(7).toByteArray());
      w.write(TinyRecords.example(8).toByteArray());
      w.commit();
    }
    return dir.resolve("data-*").toString();
  }

  private static InputPipeline.Builder eval(String files) {
    return InputPipeline.builder(List.of(files), Set.of(LabelTypes.CLASSIFICATION))
        .training(false).batchSize(2).imageSize(8);
  }

  @Test
  void byDefaultACorruptRecordEndsThePass() throws IOException {
    InputPipeline pipeline = eval(writeShards()).build();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      RuntimeException failure = assertThrows(RuntimeException.class, () -> {
        for (int i = 0; i < 10; i++) f.next().close();
      });
      assertFalse(failure instanceof TFOutOfRangeException, failure.toString());
      RuntimeException explained = f.batch.explainFailure(failure);
      assertTrue(explained.getMessage().contains(dir.resolve("data-0").toString()), explained.getMessage());
      assertTrue(explained.getMessage().contains("byte offset"), explained.getMessage());
      assertFalse(f.batch.tensors().containsKey(InputBatch.CORRUPT_RECORDS_SKIPPED));
    }
  }

  @Test
  void anEvalPassSkipsAndCountsCorruptRecords() throws IOException {
    InputPipeline pipeline = eval(writeShards()).skipCorrupt(true).build();
    List<String> ids = new ArrayList<>();
    List<Long> skipped = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      while (true) {
        BatchFetcher.Fetched b;
        try {
          b = f.next();
        } catch (TFOutOfRangeException end) {
          break;
        }
        try (b) {
          read(b, ids, skipped);
        }
      }
    }
    assertEquals(List.of("img0", "img1", "img5", "img6", "img7", "img8"), ids);
    // The bad framing is counted before img5, the broken PNG before img7.
    assertEquals(List.of(0L, 0L, 1L, 0L, 1L, 0L), skipped);
  }

  @Test
  void trainingSkipsCorruptRecordsEveryEpochAndResumesWithTheCount() throws IOException {
    String files = writeShards();
    // One batch is one epoch's six good examples (epochs never mix).
    InputPipeline pipeline = InputPipeline.builder(List.of(files), Set.of(LabelTypes.CLASSIFICATION))
        .batchSize(6).imageSize(8).shuffleBuffer(4).seed(3L).skipCorrupt(true).build();
    Path checkpoint = Files.createDirectories(dir.resolve("ckpt"));
    List<String> expected = new ArrayList<>();
    List<Long> expectedSkipped = new ArrayList<>();
    List<Long> firstSkipped = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      IteratorState state = new IteratorState(f.tf.withSubScope("saver"), f.batch.iterator());
      for (int i = 0; i < 3; i++) {
        try (BatchFetcher.Fetched b = f.next()) {
          List<String> epoch = new ArrayList<>();
          read(b, epoch, firstSkipped);
          assertEquals(Set.of("img0", "img1", "img5", "img6", "img7", "img8"), Set.copyOf(epoch), "epoch " + i);
          assertEquals(6, epoch.size());
        }
      }
      state.save(f.session, checkpoint);
      for (int i = 0; i < 3; i++) {
        try (BatchFetcher.Fetched b = f.next()) {
          read(b, expected, expectedSkipped);
        }
      }
    }
    long total = firstSkipped.stream().mapToLong(Long::longValue).sum()
        + expectedSkipped.stream().mapToLong(Long::longValue).sum();
    // Two per epoch; those after an epoch's last good example are counted in the next batch.
    assertTrue(total >= 10 && total <= 12, "skipped " + total + " in 6 epochs");

    List<String> resumed = new ArrayList<>();
    List<Long> resumedSkipped = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      new IteratorState(f.tf.withSubScope("saver"), f.batch.iterator()).restore(f.session, checkpoint);
      for (int i = 0; i < 3; i++) {
        try (BatchFetcher.Fetched b = f.next()) {
          read(b, resumed, resumedSkipped);
        }
      }
    }
    assertEquals(expected, resumed);
    assertEquals(expectedSkipped, resumedSkipped, "the counts go on from the restored state");
  }

  @Test
  void aMixedInSourceCountsItsOwnCorruptRecords() throws IOException {
    String corrupt = writeShards();
    TinyRecords.write(dir.resolve("clean-0"), 100, 104);
    // Half of the elements come from the corrupt shards (six good examples and two bad records an
    // epoch), half from the clean file.
    InputPipeline pipeline = InputPipeline.builder(List.of(dir.resolve("clean-*").toString()), Set.of(LabelTypes.CLASSIFICATION))
        .batchSize(6).imageSize(8).shuffleBuffer(4).seed(5L).skipCorrupt(true)
        .mixedIn(List.of(new DataSource(List.of(corrupt), Set.of(LabelTypes.CLASSIFICATION), false, "raw_float32")))
        .build();
    List<String> ids = new ArrayList<>();
    List<Long> skipped = new ArrayList<>();
    try (BatchFetcher f = new BatchFetcher(pipeline)) {
      for (int i = 0; i < 10; i++) {
        try (BatchFetcher.Fetched b = f.next()) {
          read(b, ids, skipped);
        }
      }
    }
    Set<String> good = Set.of("img0", "img1", "img5", "img6", "img7", "img8", "img100", "img101", "img102", "img103");
    assertTrue(good.containsAll(ids), ids.toString());
    long fromCorrupt = ids.stream().filter(id -> !id.startsWith("img10")).count();
    long total = skipped.stream().mapToLong(Long::longValue).sum();
    // Two per six examples read from the corrupt shards, give or take the last epoch's pair.
    assertTrue(fromCorrupt >= 12, "examples from the corrupt shards: " + fromCorrupt);
    long epochs = fromCorrupt / 6;
    assertTrue(total >= 2 * epochs - 2 && total <= 2 * epochs + 2, total + " skipped for " + fromCorrupt + " examples");
  }

  private static void read(BatchFetcher.Fetched b, List<String> ids, List<Long> skipped) {
    TString s = b.get(InputBatch.SOURCE_ID);
    TInt64 n = b.get(InputBatch.CORRUPT_RECORDS_SKIPPED);
    for (int k = 0; k < s.shape().size(0); k++) {
      ids.add(s.getObject(k));
      skipped.add(n.getLong(k));
    }
  }
}
