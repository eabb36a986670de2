package org.mustjava.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TFRecordWriterTest {
  @TempDir Path dir;

  @Test
  void plainFileIsTheConcatenationOfFramedRecords() throws IOException {
    Path f = dir.resolve("x.tfrecord");
    List<byte[]> recs = List.of(new byte[0], "hello".getBytes(), new byte[] {0, (byte) 255});
    try (TFRecordWriter w = TFRecordWriter.create(f)) {
      for (byte[] r : recs) {
        w.write(r);
      }
      assertEquals(3, w.recordCount());
      w.commit();
    }
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (byte[] r : recs) {
      expected.write(TFRecordFormat.frame(r));
    }
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(f));
  }

  @Test
  void gzipChosenByNameOrExplicitly() throws IOException {
    byte[] rec = "payload".getBytes();
    Path byName = dir.resolve("x.tfrecord.gz");
    Path explicit = dir.resolve("y.tfrecord");
    TFRecordWriter.write(byName, Compression.AUTO, w -> w.write(rec));
    TFRecordWriter.write(explicit, Compression.GZIP, w -> w.write(rec));
    for (Path f : List.of(byName, explicit)) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
        assertArrayEquals(TFRecordFormat.frame(rec), in.readAllBytes(), f.toString());
      }
    }
  }

  @Test
  void nothingUnderFinalNameUntilCommit() throws IOException {
    Path f = dir.resolve("train-00000-of-00001");
    TFRecordWriter w = TFRecordWriter.create(f);
    w.write(new byte[100]);
    w.flush();
    assertFalse(Files.exists(f));
    assertEquals(1, list(dir).size(), "one hidden temporary file");
    assertTrue(list(dir).get(0).getFileName().toString().startsWith("."));
    w.commit();
    assertTrue(Files.exists(f));
    assertEquals(List.of(f), list(dir));
    w.close(); // nothing to do after commit
    assertEquals(List.of(f), list(dir));
    assertThrows(IOException.class, w::commit, "commit twice");
    assertThrows(IOException.class, () -> w.write(new byte[1]), "write after commit");
  }

  @Test
  void exceptionInTryWithResourcesLeavesNoFileUnderTheFinalName() throws IOException {
    Path fresh = dir.resolve("fresh.tfrecord");
    Path existing = dir.resolve("existing.tfrecord");
    TFRecordWriter.write(existing, Compression.NONE, w -> w.write("old".getBytes()));
    for (Path f : List.of(fresh, existing)) {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
        try (TFRecordWriter w = TFRecordWriter.create(f)) {
          w.write("new".getBytes());
          throw new IllegalStateException("converter crashed");
        }
      });
      assertEquals("converter crashed", e.getMessage());
    }
    assertFalse(Files.exists(fresh), "no file, not even a truncated one");
    assertEquals(List.of("old"), strings(TFRecordReader.readAll(existing)), "the previous file is untouched");
    assertEquals(List.of(existing), list(dir), "no temporary file left");
  }

  @Test
  void closeWithoutCommitDiscardsTheRecords() throws IOException {
    Path f = dir.resolve("sub/x.tfrecord.gz");
    try (TFRecordWriter w = TFRecordWriter.create(f)) {
      w.write("forgotten".getBytes());
    }
    assertFalse(Files.exists(f));
    assertEquals(List.of(), list(f.getParent()));
  }

  @Test
  void abortDeletesTemporaryFileAndKeepsOldFile() throws IOException {
    Path f = dir.resolve("data.tfrecord");
    TFRecordWriter.write(f, Compression.NONE, w -> w.write("old".getBytes()));
    byte[] before = Files.readAllBytes(f);
    TFRecordWriter w = TFRecordWriter.create(f);
    w.write("new".getBytes());
    w.abort();
    w.close(); // no-op after abort
    assertArrayEquals(before, Files.readAllBytes(f));
    assertEquals(List.of(f), list(dir));
    assertThrows(IOException.class, () -> w.write(new byte[1]));
  }

  @Test
  void failingBodyLeavesNoFile() throws IOException {
    Path f = dir.resolve("sub/data.tfrecord.gz");
    RuntimeException e = assertThrows(RuntimeException.class, () ->
        TFRecordWriter.write(f, Compression.AUTO, w -> {
          w.write(new byte[10]);
          throw new IllegalStateException("converter crashed");
        }));
    assertEquals("converter crashed", e.getMessage());
    assertFalse(Files.exists(f));
    assertEquals(List.of(), list(f.getParent()));
  }

  @Test
  void inPlaceWriterIsVisibleAfterFlush() throws IOException {
    Path f = dir.resolve("events.out.tfevents.1.host");
    try (TFRecordWriter w = TFRecordWriter.createInPlace(f, Compression.NONE)) {
      w.write("event1".getBytes());
      w.flush();
      assertEquals(List.of("event1"), strings(TFRecordReader.readAll(f)));
      w.write("event2".getBytes());
    }
    assertEquals(List.of("event1", "event2"), strings(TFRecordReader.readAll(f)));
  }

  @Test
  void gzipInPlaceFlushMakesRecordsReadable() throws IOException {
    Path f = dir.resolve("log.gz");
    try (TFRecordWriter w = TFRecordWriter.createInPlace(f, Compression.AUTO)) {
      w.write("a".getBytes());
      w.flush();
      // The stream has no trailer yet: the record is readable, then the stream is cut off.
      TFRecordReader.Options skip = TFRecordReader.Options.DEFAULT.withSkipCorrupt(true);
      try (TFRecordReader r = TFRecordReader.open(f, skip)) {
        assertArrayEquals("a".getBytes(), r.read());
      }
    }
    assertEquals(List.of("a"), strings(TFRecordReader.readAll(f)));
  }

  @Test
  void manyRandomRecordsRoundTrip() throws IOException {
    Random rnd = new Random(7);
    List<byte[]> recs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] b = new byte[rnd.nextInt(i == 5 ? 1_000_000 : 3000)];
      rnd.nextBytes(b);
      recs.add(b);
    }
    for (String name : List.of("r.tfrecord", "r.tfrecord.gz")) {
      Path f = dir.resolve(name);
      try (TFRecordWriter w = TFRecordWriter.create(f)) {
        for (byte[] b : recs) {
          w.write(b);
        }
        w.commit();
      }
      List<byte[]> back = TFRecordReader.readAll(f);
      assertEquals(recs.size(), back.size());
      for (int i = 0; i < recs.size(); i++) {
        assertArrayEquals(recs.get(i), back.get(i), name + " record " + i);
      }
    }
  }

  static List<String> strings(List<byte[]> recs) {
    return recs.stream().map(String::new).toList();
  }

  static List<Path> list(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }
}
