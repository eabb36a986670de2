package org.mustjava.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TFRecordFilesTest {
  @TempDir Path dir;

  @BeforeEach
  void files() throws IOException {
    for (String n : List.of("train-00001-of-00003", "train-00000-of-00003", "train-00002-of-00003",
        "val.tfrecord", "a/x.tfrecord", "b/y.tfrecord", "b/c/z.tfrecord", ".train-00003.tmp")) {
      Path f = dir.resolve(n);
      Files.createDirectories(f.getParent());
      Files.write(f, new byte[0]);
    }
  }

  private List<String> rel(List<Path> paths) {
    return paths.stream().map(p -> dir.relativize(p).toString()).toList();
  }

  @Test
  void shardedSpecGlobAndList() {
    List<String> sharded = rel(TFRecordFiles.expand("train@3", dir));
    assertEquals(List.of("train-00000-of-00003", "train-00001-of-00003", "train-00002-of-00003"), sharded);
    assertEquals(sharded, rel(TFRecordFiles.expand("train-*", dir)), "hidden temp file excluded, sorted");
    assertEquals(List.of("val.tfrecord", "train-00000-of-00003"),
        rel(TFRecordFiles.expand("val.tfrecord, train-00000-of-00003,val.tfrecord", dir)));
    assertEquals(List.of("a/x.tfrecord", "b/y.tfrecord"), rel(TFRecordFiles.expand("*/*.tfrecord", dir)));
    assertEquals(List.of("a/x.tfrecord", "b/c/z.tfrecord", "b/y.tfrecord"),
        rel(TFRecordFiles.expand("**.tfrecord", dir)).stream().filter(s -> s.contains("/")).toList());
    assertEquals(List.of("a/x.tfrecord", "b/y.tfrecord"), rel(TFRecordFiles.expand("{a,b}/*.tfrecord", dir)));
    Path abs = dir.resolve("val.tfrecord").toAbsolutePath();
    assertEquals(List.of(abs), TFRecordFiles.expand(abs.toString()));
  }

  @Test
  void clearErrors() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TFRecordFiles.expand("test-*", dir));
    assertTrue(e.getMessage().contains("'test-*' matches no files"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TFRecordFiles.expand("train@4", dir));
    assertTrue(e.getMessage().contains("4 of 4 shards missing"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TFRecordFiles.expand("nope.tfrecord", dir));
    assertTrue(e.getMessage().contains("'nope.tfrecord' does not exist"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TFRecordFiles.expand("a", dir));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TFRecordFiles.expand(" ", dir));
  }

  @Test
  void graphOnlyBuildsLetMissingItemsStandForThemselves() {
    try (TFRecordFiles.Placeholders standIns = TFRecordFiles.placeholders()) {
      assertTrue(TFRecordFiles.placeholdersAllowed());
      assertEquals(List.of("val.tfrecord", "later/train-*", "train-00000-of-00003", "train@4"),
          rel(TFRecordFiles.expand("val.tfrecord,later/train-*,train-00000-of-00003,train@4", dir)));
      assertEquals(List.of("later/train-*", "train@4"), standIns.missing());
      // A directory is still a mistake, not a file to come.
      assertThrows(IllegalArgumentException.class, () -> TFRecordFiles.expand("a", dir));
    }
    assertTrue(!TFRecordFiles.placeholdersAllowed());
    assertThrows(IllegalArgumentException.class, () -> TFRecordFiles.expand("later/train-*", dir));
  }
}
