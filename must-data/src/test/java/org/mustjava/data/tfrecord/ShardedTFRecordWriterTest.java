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
      shards = w.closeAndList();
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
    }
    try (ShardedTFRecordWriter w = ShardedTFRecordWriter.byCount(prefix, 2, Compression.GZIP)) {
      for (int i = 0; i < 5; i++) {
        w.write(("v" + i).getBytes());
      }
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
}
