package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tools/benchmark fmnist} converts a data set in Fashion-MNIST's published layout, trains on
 * it through the trainer and reports images/s, accuracy and the parameter count in its JSON line.
 */
class FashionMnistBenchmarkTest {

  /** Writes {@code n} 28x28 images of class {@code i % 10} (brightness by class) in the idx .gz layout. */
  private static void writeSplit(Path dir, String split, int n) throws IOException {
    try (DataOutputStream images = idx(dir.resolve(split + "-images-idx3-ubyte.gz"));
        DataOutputStream labels = idx(dir.resolve(split + "-labels-idx1-ubyte.gz"))) {
      images.writeInt(0x803);
      images.writeInt(n);
      images.writeInt(28);
      images.writeInt(28);
      labels.writeInt(0x801);
      labels.writeInt(n);
      for (int i = 0; i < n; i++) {
        for (int p = 0; p < 28 * 28; p++) images.writeByte((i % 10) * 25);
        labels.writeByte(i % 10);
      }
    }
  }

  private static DataOutputStream idx(Path file) throws IOException {
    OutputStream out = Files.newOutputStream(file);
    return new DataOutputStream(new GZIPOutputStream(out));
  }

  private record Run(int code, String out, String err) {}

  /** Runs the benchmark with {@code args}, capturing its exit status, standard output and error. */
  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = FashionMnistBenchmark.run(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void trainsOnConvertedDataAndPrintsOneJsonLine(@TempDir Path dir) throws IOException {
    Path input = Files.createDirectories(dir.resolve("fashion-mnist"));
    writeSplit(input, "train", 40);
    writeSplit(input, "t10k", 12);
    Path data = dir.resolve("records");
    Run r = run("--input", input.toString(), "--data_dir", data.toString(),
        "--width", "0.125", "--image_size", "32", "--batch", "4", "--max_steps", "3", "--warmup_steps", "1",
        "--intra_op_threads", "1", "--inter_op_threads", "1", "--parallelism", "1");
    String text = r.out();
    assertEquals(0, r.code(), r.err());
    Matcher m = Pattern.compile("\\{\"framework\": \"must-java\", \"workload\": \"fmnist\", \"mode\": \"train\", "
        + "\"images_per_s\": ([0-9.]+), \"accuracy\": ([0-9.]+), \"params\": (\\d+), \"steps\": 3, \"timed_steps\": 2, "
        + "\"batch\": 4, \"image_size\": 32, \"intra_op_threads\": 1, \"inter_op_threads\": 1\\}").matcher(text);
    assertTrue(m.find(), text);
    assertTrue(Double.parseDouble(m.group(1)) > 0, text);
    double accuracy = Double.parseDouble(m.group(2));
    assertTrue(accuracy >= 0 && accuracy <= 1, text);
    // ResNet-18 x0.125 (widths 8, 16, 32, 64) + a 64 x 10 dense layer with bias; torch_bench.py counts the same.
    assertEquals(177_362, Long.parseLong(m.group(3)), text);
    assertTrue(Files.list(data).anyMatch(p -> p.getFileName().toString().startsWith("fashion-mnist-test-")), "converted once");
  }

  @Test
  void inputOnlyTimesTheTrainingPipelineAlone(@TempDir Path dir) throws IOException {
    Path input = Files.createDirectories(dir.resolve("fashion-mnist"));
    writeSplit(input, "train", 40);
    writeSplit(input, "t10k", 12);
    Run r = run("--input", input.toString(), "--data_dir", dir.resolve("records").toString(),
        "--image_size", "32", "--batch", "4", "--max_steps", "12", "--warmup_steps", "2", "--parallelism", "1",
        "--input_only");
    String text = r.out();
    assertEquals(0, r.code(), r.err());
    Matcher m = Pattern.compile("\\{\"framework\": \"must-java\", \"workload\": \"fmnist\", \"mode\": \"input\", "
        + "\"images_per_s\": ([0-9.]+), \"cpu_ms_per_image\": ([0-9.]+), \"batch\": 4, \"image_size\": 32, "
        + "\"parallelism\": 1\\}").matcher(text);
    assertTrue(m.find(), text);
    assertTrue(Double.parseDouble(m.group(1)) > 0, text);
    assertTrue(Double.parseDouble(m.group(2)) > 0, text);
    // 10 timed batches (12 minus 2 warm-up), and no model was built or trained.
    assertTrue(text.contains("10 timed batches of 4"), text);
    assertTrue(!r.err().contains("trainable parameters"), r.err());
  }

  @Test
  void aRunNoLongerThanItsWarmUpIsAUsageError(@TempDir Path dir) {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    PrintStream p = new PrintStream(sink, true, StandardCharsets.UTF_8);
    assertEquals(2, FashionMnistBenchmark.run(new String[] {"--max_steps", "5", "--warmup_steps", "5",
        "--data_dir", dir.toString()}, p, p));
  }
}
