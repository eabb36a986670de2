package org.mustjava.data.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.mustjava.data.pipeline.InputBatch;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.data.pipeline.Task;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code tools/benchmark pipeline}: input-pipeline throughput (training pipelines, images/s) versus
 * map parallelism at 64 and 640 px on generated JPEG records, next to what a training step
 * consumes, printed as Markdown tables for BENCHMARKS.md.
 *
 * <p>Options: {@code --sizes 64,640 --parallelism 1,2,4 --seconds 8 --workdir DIR}. The training
 * step is {@link TinyTrainStep} (measured, fed by constants and fed by the pipeline); for 640 px
 * the ResNet-50 figure is an estimate from the BRIEF's 224 px measurement scaled by pixel count.
 */
public final class PipelineBenchmark {
  private static final float RESNET50_224_TRAIN_IMG_PER_S = 3f; // BRIEF, 2-core AVX2 machine

  private List<Integer> sizes = List.of(64, 640);
  private List<Integer> parallelisms = List.of(1, 2, 4);
  private double seconds = 8;
  private Path workdir;

  public static void main(String[] args) throws IOException {
    PipelineBenchmark b = new PipelineBenchmark();
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--sizes" -> b.sizes = ints(value);
        case "--parallelism" -> b.parallelisms = ints(value);
        case "--seconds" -> b.seconds = Double.parseDouble(value);
        case "--workdir" -> b.workdir = Path.of(value);
        case "-h", "--help" -> {
          System.out.println(
              "usage: tools/benchmark pipeline [--sizes 64,640] [--parallelism 1,2,4]"
                  + " [--seconds 8] [--workdir DIR]");
          return;
        }
        default -> {
          System.err.println("unknown option " + args[i] + " (try --help)");
          System.exit(2);
        }
      }
      i++;
    }
    b.run();
  }

  private static List<Integer> ints(String csv) {
    if (csv == null) {
      throw new IllegalArgumentException("missing value");
    }
    return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }

  private static int batchFor(int size) {
    return size <= 128 ? 32 : 8;
  }

  private static int recordsFor(int size) {
    return size <= 128 ? 512 : 32;
  }

  private void run() throws IOException {
    boolean ownDir = workdir == null;
    Path dir = ownDir ? Files.createTempDirectory("must-pipeline-bench") : workdir;
    Files.createDirectories(dir);
    System.out.printf(
        Locale.ROOT, "machine: %d cores visible to the JVM; %s; %.0f s per measurement%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), seconds);
    List<String> pipelineRows = new ArrayList<>();
    List<String> stepRows = new ArrayList<>();
    List<String> ratioRows = new ArrayList<>();
    try {
      for (int size : sizes) {
        Path file = dir.resolve("bench-" + size + ".tfrecord");
        long t0 = System.nanoTime();
        BenchmarkRecords.write(file, size, recordsFor(size), 17);
        System.err.printf(
            Locale.ROOT, "generated %d records of %dx%d in %.1f s (%.1f MB)%n", recordsFor(size),
            size * 3 / 4, size, (System.nanoTime() - t0) / 1e9, Files.size(file) / 1e6);
        int batch = batchFor(size);
        double[] multiTask = new double[parallelisms.size()];
        for (int k = 0; k < parallelisms.size(); k++) {
          int p = parallelisms.get(k);
          double cls = pipelineImagesPerSecond(file, size, batch, p, EnumSet.of(Task.CLASSIFICATION));
          multiTask[k] = pipelineImagesPerSecond(file, size, batch, p, EnumSet.allOf(Task.class));
          pipelineRows.add(String.format(
              Locale.ROOT, "| %d | %d | %d | %.1f | %.1f |", size, batch, p, cls, multiTask[k]));
        }
        double alone = trainStepImagesPerSecond(file, size, batch, false);
        double fed = trainStepImagesPerSecond(file, size, batch, true);
        stepRows.add(String.format(
            Locale.ROOT, "| %d | tiny ResNet-like (measured), constant input | %d | %.1f |",
            size, batch, alone));
        stepRows.add(String.format(
            Locale.ROOT, "| %d | tiny ResNet-like (measured), fed by the pipeline (parallelism 2) | %d | %.1f |",
            size, batch, fed));
        double resnet50 = RESNET50_224_TRAIN_IMG_PER_S * (224.0 * 224.0) / (size * (double) size);
        if (size > 128) {
          stepRows.add(String.format(
              Locale.ROOT,
              "| %d | ResNet-50 (estimate: BRIEF's 3 img/s at 224 px x (224/%d)^2, not measured here) | - | %.2f |",
              size, size, resnet50));
        }
        double consumer = alone; // the harder (faster-consuming) target of the two
        for (int k = 0; k < parallelisms.size(); k++) {
          ratioRows.add(String.format(
              Locale.ROOT, "| %d | %d | %.1f x | %s |", size, parallelisms.get(k),
              multiTask[k] / consumer,
              size > 128 ? String.format(Locale.ROOT, "%.0f x", multiTask[k] / resnet50) : "-"));
        }
        Files.deleteIfExists(file);
      }
    } finally {
      if (ownDir) {
        try (Stream<Path> s = Files.walk(dir)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
    System.out.println("Pipeline throughput (training pipeline, images/s; jitter [0.5, 2.0] + crop + flip):");
    System.out.println();
    System.out.println("| image px | batch | parallelism | classification only | all five tasks |");
    System.out.println("|---|---|---|---|---|");
    pipelineRows.forEach(System.out::println);
    System.out.println();
    System.out.println("Training step consumption (images/s):");
    System.out.println();
    System.out.println("| image px | step | batch | images/s |");
    System.out.println("|---|---|---|---|");
    stepRows.forEach(System.out::println);
    System.out.println();
    System.out.println("Ratio pipeline (all five tasks) / training step:");
    System.out.println();
    System.out.println("| image px | parallelism | vs tiny step (measured) | vs ResNet-50 (estimate) |");
    System.out.println("|---|---|---|---|");
    ratioRows.forEach(System.out::println);
  }

  private InputPipeline pipeline(Path file, int size, int batch, int parallelism, Set<Task> tasks) {
    return InputPipeline.builder(List.of(file.toString()), tasks)
        .batchSize(batch)
        .imageSize(size)
        .parallelism(parallelism)
        .shuffleBuffer(64)
        .prefetch(2)
        .maxBoxes(16)
        .numClasses(BenchmarkRecords.NUM_CLASSES)
        .seed(1L)
        .build();
  }

  private double pipelineImagesPerSecond(
      Path file, int size, int batch, int parallelism, Set<Task> tasks) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      InputBatch in = pipeline(file, size, batch, parallelism, tasks).build(Ops.create(g));
      s.run(in.initializer());
      // Every tensor is fetched: a model reads them all.
      return timed(batch, () -> {
        Session.Runner r = s.runner();
        in.tensors().values().forEach(r::fetch);
        r.run().close();
      });
    }
  }

  private double trainStepImagesPerSecond(Path file, int size, int batch, boolean fromPipeline) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> images;
      Operand<TFloat32> targets;
      Op init = null;
      if (fromPipeline) {
        InputBatch in =
            pipeline(file, size, batch, 2, EnumSet.of(Task.CLASSIFICATION)).build(tf);
        images = in.image();
        targets = in.classProbs();
        init = in.initializer();
      } else {
        images = tf.random.truncatedNormal(
            tf.constant(new long[] {batch, size, size, 3}), TFloat32.class, 
            org.tensorflow.op.random.TruncatedNormal.seed(1L));
        images = tf.variable(images); // drawn once; the step then reads it like any input
        targets = tf.oneHot(tf.math.floorMod(tf.range(tf.constant(0), tf.constant(batch), tf.constant(1)),
            tf.constant(BenchmarkRecords.NUM_CLASSES)), tf.constant(BenchmarkRecords.NUM_CLASSES),
            tf.constant(1f), tf.constant(0f));
      }
      TinyTrainStep step = new TinyTrainStep(g, tf, tf.identity(images), targets, BenchmarkRecords.NUM_CLASSES);
      if (init != null) {
        s.run(init);
      }
      s.initialize();
      Session.Runner initRunner = s.runner();
      step.initializers.forEach(initRunner::addTarget);
      initRunner.run().close();
      return timed(batch, () -> {
        Session.Runner r = s.runner();
        step.updates.forEach(r::addTarget);
        try (Result res = r.fetch(step.loss).run()) {
          float loss = ((TFloat32) res.get(0)).getFloat();
          if (!Float.isFinite(loss)) {
            throw new IllegalStateException("benchmark step diverged: loss " + loss);
          }
        }
      });
    }
  }

  /** Images/s of {@code step} after 3 warm-up calls, timed for the configured seconds (>= 5 calls). */
  private double timed(int batch, Runnable step) {
    for (int i = 0; i < 3; i++) {
      step.run();
    }
    long start = System.nanoTime();
    int calls = 0;
    while (calls < 5 || System.nanoTime() - start < seconds * 1e9) {
      step.run();
      calls++;
    }
    return calls * batch / ((System.nanoTime() - start) / 1e9);
  }
}
