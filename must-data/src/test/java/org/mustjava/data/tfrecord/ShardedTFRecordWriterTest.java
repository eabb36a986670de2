package org.mustjava.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;

class ShardedTFRecordWriterTest {
  @TempDir Path dir;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static List<String> read(Path f) throws IOException {
    return TFRecordReader.readAll(f).stream().map(String::new).toList();
  }

  @Test
  void roundRobinNamesAndContents() throws IOException {
    Path prefix = dir.resolve("train");
    List<Path> shards;
    try (ShardedTFRecordWriter w = ShardedTFRecordWriter.roundRobin(prefix, 3, Compression.NONE)) {
      for (int i = 0; i < 7; i++) {
        w.write(("r" + i).getBytes());
      }
      assertEquals(List.of(), names().stream().filter(n -> !n.startsWith(".")).toList());
      shards = w.commit();
    }
    assertEquals(List.of("train-00000-of-00003", "train-00001-of-00003", "train-00002-of-00003"), names());
    assertEquals(List.of("r0", "r3", "r6"), read(shards.get(0)));
    assertEquals(List.of("r2", "r5"), read(shards.get(2)));
  }

  @Test
  void byCountDecidesTotalAtCloseAndRemovesStaleSets() throws IOException {
    Path prefix = dir.resolve("val");
    try (ShardedTFRecordWriter w = ShardedTFRecordWriter.roundRobin(prefix, 2, Compression.GZIP)) {
      w.write("old".getBytes());
      w.commit();
    }
    try (ShardedTFRecordWriter w = ShardedTFRecordWriter.byCount(prefix, 2, Compression.GZIP)) {
      for (int i = 0; i < 5; i++) {
        w.write(("v" + i).getBytes());
      }
      w.commit();
    }
    assertEquals(List.of("val-00000-of-00003", "val-00001-of-00003", "val-00002-of-00003"), names());
    assertEquals(List.of("v4"), read(dir.resolve("val-00002-of-00003")));
    try (TFRecordReader r = TFRecordReader.open(dir.resolve("val-00000-of-00003"))) {
      assertEquals(true, r.isGzip());
    }
  }

  @Test
  void abortLeavesNothing() throws IOException {
    ShardedTFRecordWriter w = ShardedTFRecordWriter.byCount(dir.resolve("x"), 1, Compression.NONE);
    w.write(new byte[3]);
    w.write(new byte[3]);
    w.abort();
    assertEquals(List.of(), names());
    assertThrows(IOException.class, () -> w.write(new byte[1]));
    assertFalse(Files.exists(ShardedTFRecordWriter.shardName(dir.resolve("x"), 0, 2)));
  }

  @Test
  void anExceptionInsideTryWithResourcesPublishesNothing() throws IOException {
    Path prefix = dir.resolve("train");
    IllegalStateException failure = assertThrows(IllegalStateException.class, () -> {
      try (ShardedTFRecordWriter w = ShardedTFRecordWriter.roundRobin(prefix, 3, Compression.NONE)) {
        for (int i = 0; i < 5; i++) {
          w.write(("r" + i).getBytes());
        }
        throw new IllegalStateException("the run failed half-way");
      }
    });
    assertEquals("the run failed half-way", failure.getMessage());
    assertEquals(0, failure.getSuppressed().length, "close() aborted cleanly");
    // Neither final names nor hidden temporary files remain.
    assertEquals(List.of(), names());
  }

  @Test
  void closeWithoutCommitAbortsAndCommitPublishesEveryShard() throws IOException {
    Path prefix = dir.resolve("eval");
    try (ShardedTFRecordWriter w = ShardedTFRecordWriter.byCount(prefix, 2, Compression.NONE)) {
      w.write("forgotten".getBytes());
    }
    assertEquals(List.of(), names());

    ShardedTFRecordWriter w = ShardedTFRecordWriter.byCount(prefix, 2, Compression.NONE);
    for (int i = 0; i < 5; i++) {
      w.write(("e" + i).getBytes());
    }
    assertEquals(List.of(), names().stream().filter(n -> !n.startsWith(".")).toList(),
        "nothing under a final name before commit");
    List<Path> shards = w.commit();
    assertEquals(List.of("eval-00000-of-00003", "eval-00001-of-00003", "eval-00002-of-00003"), names());
    assertEquals(List.of(prefix.resolveSibling("eval-00000-of-00003"),
        prefix.resolveSibling("eval-00001-of-00003"), prefix.resolveSibling("eval-00002-of-00003")), shards);
    assertEquals(List.of("e0", "e1"), read(shards.get(0)));
    assertEquals(List.of("e4"), read(shards.get(2)));
    // After commit: close and abort change nothing, writing or committing again is an error.
    w.close();
    w.abort();
    assertEquals(3, names().size());
    assertThrows(IOException.class, () -> w.write(new byte[1]));
    assertThrows(IOException.class, w::commit);
  }

  @Test
  void anEmptyCommitWritesOneEmptyShard() throws IOException {
    try (ShardedTFRecordWriter w = ShardedTFRecordWriter.byCount(dir.resolve("none"), 4, Compression.NONE)) {
      assertEquals(List.of(dir.resolve("none-00000-of-00001")), w.commit());
    }
    assertEquals(List.of(), read(dir.resolve("none-00000-of-00001")));
  }
}
