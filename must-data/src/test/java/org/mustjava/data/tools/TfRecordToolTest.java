package org.mustjava.data.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

class TfRecordToolTest {
  @TempDir Path dir;
  Path good;
  Path gzipNoSuffix;

  /** Captured output of one run. */
  record Run(int status, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = TfRecordTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static byte[] example(int i) {
    return MultiTaskExample.builder(ImageCodecs.encodeRgbPng(new byte[4 * 4 * 3], 4, 4), "png", 4, 4)
        .sourceId("img-" + i).classLabel(i)
        .boxes(ObjectBoxes.of(new float[][] {{0f, 0f, 0.5f, 0.5f}, {0.5f, 0.5f, 1f, 1f}}, new int[] {1, 2}))
        .build().toByteArray();
  }

  private Path write(String name, Compression c, int n) throws IOException {
    Path f = dir.resolve(name);
    try (TFRecordWriter w = TFRecordWriter.create(f, c)) {
      for (int i = 0; i < n; i++) {
        w.write(example(i));
      }
      w.commit();
    }
    return f;
  }

  @BeforeEach
  void files() throws IOException {
    good = write("train-00000-of-00001", Compression.NONE, 7);
    gzipNoSuffix = write("val.tfrecord", Compression.GZIP, 3);
  }

  @Test
  void reportsCountCrcAndFirstExampleFeatures() {
    Run r = run("inspect", good.toString(), gzipNoSuffix.toString());
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains(good + ": 7 records, CRC OK, uncompressed"), r.out());
    assertTrue(r.out().contains(gzipNoSuffix + ": 3 records, CRC OK, GZIP"), r.out());
    assertTrue(r.out().contains("first example: 11 features"), r.out());
    assertTrue(r.out().matches("(?s).*image/encoded\\s+bytes\\s+\\[1\\]\\s+<\\d+ bytes, PNG>.*"), r.out());
    assertTrue(r.out().matches("(?s).*image/object/bbox/ymin\\s+float\\s+\\[2\\]\\s+0.0, 0.5.*"), r.out());
    assertTrue(r.out().matches("(?s).*image/source_id\\s+bytes\\s+\\[1\\]\\s+\"img-0\".*"), r.out());
    assertTrue(r.out().matches("(?s).*image/class/label\\s+int64\\s+\\[1\\]\\s+0\\b.*"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void corruptFileExitsNonZeroWithOffset() throws IOException {
    byte[] b = Files.readAllBytes(good);
    int recordLen = example(0).length + 16;
    b[3 * recordLen + 20] ^= 0x40; // inside record 3
    Path bad = dir.resolve("bad.tfrecord");
    Files.write(bad, b);
    Run r = run("inspect", good.toString(), bad.toString());
    assertEquals(1, r.status());
    assertTrue(r.out().contains(good + ": 7 records, CRC OK"), "good file still reported: " + r.out());
    assertTrue(r.out().contains(bad + ": CORRUPT after 3 good records"), r.out());
    assertTrue(r.err().contains(bad.toString()) && r.err().contains("byte offset " + 3 * recordLen)
        && r.err().contains("data CRC mismatch"), r.err());
  }

  @Test
  void truncatedGzipAndGarbage() throws IOException {
    byte[] z = Files.readAllBytes(gzipNoSuffix);
    Path cut = dir.resolve("cut.gz");
    Files.write(cut, Arrays.copyOf(z, z.length / 2));
    Run r = run("inspect", cut.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains(cut.toString()) && r.err().contains("uncompressed byte offset"), r.err());

    Path garbage = dir.resolve("README.txt");
    Files.writeString(garbage, "certainly not a TFRecord file\n");
    r = run("inspect", garbage.toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains(garbage + ": length CRC mismatch") && r.err().contains("byte offset 0"), r.err());
  }

  @Test
  void patternsEmptyFilesAndUsage() throws IOException {
    Files.write(dir.resolve("empty.tfrecord"), new byte[0]);
    Run r = run("inspect", dir + "/*.tfrecord");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("empty.tfrecord: 0 records, CRC OK"), r.out());
    assertTrue(r.out().contains("val.tfrecord: 3 records"), r.out());

    r = run("inspect", dir + "/nothing-*");
    assertEquals(1, r.status());
    assertTrue(r.err().contains("matches no files"), r.err());
    assertEquals(2, run().status());
    assertEquals(2, run("inspect").status());
    assertEquals(2, run("count", good.toString()).status());
    Run unknown = run("inspect", "--frobnicate", good.toString());
    assertEquals(2, unknown.status());
    assertEquals("error: unknown option --frobnicate\nRun tools/tfrecord --help for the flags.\n", unknown.err());
    Run help = run("--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("inspect FILE...") && help.out().contains("Exit status: 0 all intact"), help.out());
  }
}
