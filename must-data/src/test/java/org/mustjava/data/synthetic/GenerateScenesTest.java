package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.TFRecordReader;

/** The command line: a small run, and exit status 2 with a message for bad arguments. */
class GenerateScenesTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return GenerateScenes.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void writesShardsAndAPreview() throws Exception {
    Path prefix = dir.resolve("data/tabletop");
    Path preview = dir.resolve("preview.png");
    int status = run("--domain", "tabletop", "--num", "5", "--size", "24", "--seed", "2",
        "--output", prefix.toString(), "--shards", "2", "--labels", "segmentation,depth",
        "--threads", "2", "--preview", preview.toString());
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    assertEquals(3, TFRecordReader.readAll(dir.resolve("data/tabletop-00000-of-00002")).size());
    assertEquals(2, TFRecordReader.readAll(dir.resolve("data/tabletop-00001-of-00002")).size());
    assertTrue(Files.size(preview) > 0);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("wrote 5 tabletop scenes 24x24"));
  }

  @Test
  void listsDomains() {
    assertEquals(0, run("--list-domains"));
    assertEquals(String.join("\n", SceneDomains.names()),
        out.toString(StandardCharsets.UTF_8).strip().replace("\r", ""));
  }

  @Test
  void badArgumentsExitTwoWithAMessage() {
    assertEquals(2, run("--num", "3"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("--output PREFIX is required"));
    err.reset();
    assertEquals(2, run("--output", dir.resolve("x").toString(), "--domain", "moon"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown scene domain 'moon'"));
    err.reset();
    assertEquals(2, run("--output", dir.resolve("x").toString(), "--size", "big"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("\"--size\": couldn't convert \"big\" to an integer"));
    err.reset();
    assertEquals(2, run("--output", dir.resolve("x").toString(), "--labels", "colour"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown label 'colour'"));
    err.reset();
    assertEquals(2, run("--output", dir.resolve("x").toString(), "--frobnicate"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --frobnicate"));
  }
}
