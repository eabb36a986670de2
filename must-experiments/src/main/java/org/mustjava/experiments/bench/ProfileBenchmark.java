package org.mustjava.experiments.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import org.mustjava.core.cli.CommandLine;
import org.mustjava.data.pipeline.InputPipeline;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.models.MultiTaskModel;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.heads.ClassificationHead;
import org.tensorflow.proto.RunOptions;

/**
 * {@code tools/benchmark profile}: where a training step's time goes, per op type and per model
 * part ({@link OpProfile}), from TensorFlow's step statistics of traced steps of the engine's train
 * op fed by the real input pipeline ({@link PipelineFedTrainStep}). Two workloads:
 *
 * <ul>
 *   <li>{@code mini}: the mini experiments' student (ResNet-18 x0.25 + FPN, classification,
 *       segmentation, depth and normals heads) on 64 px synthetic scenes, batch 32;
 *   <li>{@code resnet50}: a ResNet-50 classifier at 224 px, batch 8 (the models benchmark's
 *       workload, here fed by the pipeline).
 * </ul>
 *
 * Untraced steps are timed too, since tracing itself costs time.
 */
public final class ProfileBenchmark {
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--workloads", description = "Which workloads: mini, resnet50.")
    List<String> workloads = new ArrayList<>(List.of("mini", "resnet50"));

    @Parameter(names = "--mini_batch", description = "Batch of the mini workload.")
    int miniBatch = 32;

    @Parameter(names = "--mini_image_size", description = "Image size of the mini workload, px.")
    int miniImageSize = 64;

    @Parameter(names = "--resnet50_batch", description = "Batch of the resnet50 workload.")
    int resnetBatch = 8;

    @Parameter(names = "--resnet50_image_size", description = "Image size of the resnet50 workload, px.")
    int resnetImageSize = 224;

    @Parameter(names = "--resnet50_depth", description = "ResNet depth of the resnet50 workload (tests use 18).")
    int resnetDepth = 50;

    @Parameter(names = "--resnet50_width", description = "ResNet width multiplier of the resnet50 workload.")
    double resnetWidth = 1.0;

    @Parameter(names = "--warmup_steps", description = "Untraced, untimed steps first.")
    int warmupSteps = 3;

    @Parameter(names = "--timed_steps", description = "Untraced steps timed for the wall time per step.")
    int timedSteps = 5;

    @Parameter(names = "--traced_steps", description = "Traced steps whose statistics are summed.")
    int tracedSteps = 5;

    @Parameter(names = "--top", description = "Rows of the op-type table.")
    int top = 15;

    @Parameter(names = "--scenes", description = "Synthetic scenes generated per workload.")
    int scenes = 256;

    @Parameter(names = "--seed", description = "Seed of the scenes, the pipeline and the variables.")
    long seed = 1;

  }

  /** One workload: its description, model, pipeline tasks, batch and image size. */
  record Workload(String name, String description, MultiTaskModel model, Set<LabelType> tasks, int batch, int imageSize) {}

  private ProfileBenchmark() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(args, out, err));
  }

  /** Runs the profile; tables on {@code out}, progress on {@code err}; returns the exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Flags f = new Flags();
    CommandLine commandLine = new CommandLine("tools/benchmark profile",
        "Where a training step's time goes, per op type and per model part, from TensorFlow's step statistics\nof traced steps of the engine's train op fed by the real input pipeline.",
        "0 success, 1 failure while running, 2 usage error", f);
    OptionalInt exit = commandLine.parse(args, out, err);
    if (exit.isPresent()) return exit.getAsInt();
    try {
      for (String w : f.workloads) {
        if (!w.equals("mini") && !w.equals("resnet50")) throw new ParameterException("unknown workload '" + w + "' (mini, resnet50)");
      }
      if (f.miniBatch < 1 || f.resnetBatch < 1 || f.tracedSteps < 1 || f.timedSteps < 1 || f.warmupSteps < 0
          || f.top < 1 || f.scenes < 1 || f.miniImageSize < 32 || f.resnetImageSize < 32) {
        throw new ParameterException("batches, --traced_steps, --timed_steps, --top, --scenes >= 1; --warmup_steps >= 0; image sizes >= 32");
      }
    } catch (ParameterException e) {
      return commandLine.usageError(e.getMessage(), err);
    }
    String loadBefore = MachineInfo.loadAverage();
    out.println("machine: " + MachineInfo.describe());
    try {
      Path dir = Files.createTempDirectory("must-profile");
      try {
        for (String w : f.workloads) profile(workload(w, f), f, dir, out, err);
      } finally {
        InputBenchmark.deleteTree(dir);
      }
    } catch (IOException | RuntimeException e) {
      err.println("error: " + e);
      return 1;
    }
    out.println("load average (1/5/15 min): " + loadBefore + " at the start, " + MachineInfo.loadAverage() + " at the end");
    return 0;
  }

  static Workload workload(String name, Flags f) {
    if (name.equals("mini")) {
      StudentModel s = StudentModel.mini(BenchmarkScenes.NUM_CLASSES);
      return new Workload(name, s.description(), s.model(),
          Set.of(LabelTypes.CLASSIFICATION, LabelTypes.SEGMENTATION, LabelTypes.DEPTH, LabelTypes.NORMALS), f.miniBatch, f.miniImageSize);
    }
    MultiTaskModel m = new MultiTaskModel(ResNet.of(f.resnetDepth, f.resnetWidth), null,
        List.of(ClassificationHead.of(BenchmarkScenes.NUM_CLASSES)), Map.of());
    String w = f.resnetWidth == 1.0 ? "" : " x" + f.resnetWidth;
    return new Workload(name, "ResNet-" + f.resnetDepth + w + " classifier", m, Set.of(LabelTypes.CLASSIFICATION),
        f.resnetBatch, f.resnetImageSize);
  }

  static void profile(Workload w, Flags f, Path dir, PrintStream out, PrintStream log) throws IOException {
    Path file = BenchmarkScenes.write(dir, w.imageSize(), f.scenes, Runtime.getRuntime().availableProcessors(), f.seed);
    InputPipeline pipeline = InputPipeline.builder(List.of(file.toString()), w.tasks())
        .batchSize(w.batch())
        .imageSize(w.imageSize())
        .numClasses(BenchmarkScenes.NUM_CLASSES)
        .shuffleBuffer(Math.min(256, f.scenes))
        .seed(f.seed)
        .build();
    log.printf("%s: building %s, batch %d at %d px...%n", w.name(), w.description(), w.batch(), w.imageSize());
    try (PipelineFedTrainStep step = new PipelineFedTrainStep(pipeline, w.model(), f.seed, InputBenchmark.WEIGHT_DECAY)) {
      for (int i = 0; i < f.warmupSteps; i++) step.stepFromPipeline();
      long t0 = System.nanoTime();
      for (int i = 0; i < f.timedSteps; i++) step.stepFromPipeline();
      double wallMs = (System.nanoTime() - t0) / 1e6 / f.timedSteps;
      OpProfile profile = new OpProfile(step.graph());
      long t1 = System.nanoTime();
      for (int i = 0; i < f.tracedSteps; i++) profile.add(step.tracedStepFromPipeline(RunOptions.TraceLevel.SOFTWARE_TRACE));
      double tracedMs = (System.nanoTime() - t1) / 1e6 / f.tracedSteps;
      log.printf(Locale.ROOT, "%s: %.1f ms/step untraced, %.1f ms/step traced%n", w.name(), wallMs, tracedMs);

      out.printf(Locale.ROOT, "%n### %s: %s, batch %d, %d px%n%n", w.name(), w.description(), w.batch(), w.imageSize());
      out.printf(Locale.ROOT, "wall time: %.1f ms/step untraced (%d steps), %.1f ms/step traced (%d steps); "
              + "summed op time %.1f ms/step (ops overlap on the inter-op threads)%n%n",
          wallMs, f.timedSteps, tracedMs, f.tracedSteps, profile.totalMillisPerStep());
      out.print(profile.table("model part", profile.byPart(), Integer.MAX_VALUE));
      out.println();
      out.print(profile.table("op type", profile.byOpType(), f.top));
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
