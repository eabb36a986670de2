package org.mustjava.data.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line, and idempotence: reruns, failures and crashes leave the same output. */
class ConvertDatasetTest {
  @TempDir Path dir;

  private record Result(int status, String out, String err) {}

  private static Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ConvertDataset.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
  }

  @Test
  void commandLineConvertsAndReports() throws IOException {
    Path in = MnistConverterTest.writeIdx(dir, 5, 2, true);
    Path prefix = dir.resolve("new/dir/mnist");
    Result r = cli("--dataset", "mnist", "--input", in.toString(), "--output=" + prefix, "--shards", "2");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().contains("train: 5 examples -> " + prefix + "-train-00000-of-00002 ... (2 shards)"), r.out());
    assertTrue(r.out().contains("test: 2 examples -> " + prefix + "-test-00000-of-00002"), r.out());
    assertTrue(r.out().contains("labels: " + prefix + "-labels.txt"), r.out());
    assertTrue(Files.isRegularFile(prefix.resolveSibling("mnist-test-00001-of-00002")));
  }

  @Test
  void commandLineErrors() {
    Result r = cli("--input", "x", "--output", "y");
    assertEquals(2, r.status());
    assertTrue(r.err().equals("error: missing --dataset\nRun tools/convert-dataset --help for the flags.\n"), r.err());
    r = cli("--dataset", "imagenet", "--input", "x", "--output", "y");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("unknown --dataset 'imagenet'; known: imagefolder, cifar100"), r.err());
    r = cli("--dataset", "mnist", "--input", "x", "--output", "y", "--shards", "0");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--shards must be an integer in 1..99999"), r.err());
    r = cli("--dataset", "mnist", "--input", "x", "--output", "y", "--colour", "blue");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("error: unknown option --colour"), r.err());
    r = cli("--dataset", "mnist", "--input", dir.resolve("nowhere").toString(), "--output", dir.resolve("o").toString());
    assertEquals(1, r.status());
    assertTrue(r.err().contains(dir.resolve("nowhere") + ": missing IDX directory"), r.err());
    r = cli("--dataset", "voc", "--input", Fixtures.path("voc").toString(), "--output", dir.resolve("v").toString(),
        "--image_set", "Layout");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--image_set must be Main or Segmentation, got 'Layout'"), r.err());
    r = cli("--dataset", "imagefolder", "--input", dir.toString(), "--output", dir.resolve("v").toString(),
        "--split", "a/b");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("split name 'a/b' must be"), r.err());
    r = cli("--help");
    assertEquals(0, r.status());
    assertTrue(r.out().contains("--image_set"), r.out());
  }

  @Test
  void convertingTwiceGivesIdenticalFiles() throws IOException {
    Path out = dir.resolve("out");
    Converted.run(new VocConverter(), Fixtures.path("voc"), out.resolve("voc"), 2, null, Map.of());
    Map<String, byte[]> first = Converted.snapshot(out);
    Converted.run(new VocConverter(), Fixtures.path("voc"), out.resolve("voc"), 2, null, Map.of());
    assertSameFiles(first, Converted.snapshot(out));
    // And into a fresh directory.
    Path other = dir.resolve("other");
    Converted.run(new VocConverter(), Fixtures.path("voc"), other.resolve("voc"), 2, null, Map.of());
    assertSameFiles(first, Converted.snapshot(other));
  }

  @Test
  void failedRunLeavesNoShardsAndRerunMatchesCleanRun() throws IOException {
    Path in = MnistConverterTest.writeIdx(dir, 6, 3, false);
    Path clean = dir.resolve("clean");
    Converted.run(MnistConverter.mnist(), in, clean.resolve("m"), 2, null, Map.of());

    Path images = in.resolve("t10k-images-idx3-ubyte");
    byte[] good = Files.readAllBytes(images);
    Files.write(images, java.util.Arrays.copyOf(good, good.length - 1));
    Path out = dir.resolve("out");
    DatasetFormatException e = org.junit.jupiter.api.Assertions.assertThrows(DatasetFormatException.class,
        () -> Converted.run(MnistConverter.mnist(), in, out.resolve("m"), 2, null, Map.of()));
    assertEquals(images, e.file());
    assertTrue(Converted.shards(out.resolve("m"), "test").isEmpty());

    Files.write(images, good);
    Converted.run(MnistConverter.mnist(), in, out.resolve("m"), 2, null, Map.of());
    assertSameFiles(Converted.snapshot(clean), Converted.snapshot(out));
  }

  @Test
  void crashedRunLeavesOnlyTemporaryFilesAndRerunMatchesCleanRun() throws Exception {
    Path in = MnistConverterTest.writeIdx(dir, 30, 10, true);
    Path clean = dir.resolve("clean");
    Converted.run(MnistConverter.mnist(), in, clean.resolve("m"), 3, null, Map.of());

    // A stale shard set of an earlier run with another shard count must not survive either.
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("m-train-00000-of-00005"), "stale");

    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        CrashingConversion.class.getName(), "mnist", in.toString(), out.resolve("m").toString(), "3", "12"));
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    assertEquals(3, child.exitValue(), "the child must have been halted mid-way: " + log);

    List<String> names = Converted.snapshot(out).keySet().stream().toList();
    assertTrue(Converted.shards(out.resolve("m"), "train").stream()
        .allMatch(p -> p.getFileName().toString().equals("m-train-00000-of-00005")),
        "no shard of the crashed run may carry a final name: " + names);
    assertTrue(names.stream().anyMatch(n -> n.startsWith(".") && n.endsWith(".tmp")),
        "the crash should have left temporary files: " + names);

    Converted.run(MnistConverter.mnist(), in, out.resolve("m"), 3, null, Map.of());
    assertSameFiles(Converted.snapshot(clean), Converted.snapshot(out));
    assertFalse(Files.exists(out.resolve("m-train-00000-of-00005")));
  }
}
