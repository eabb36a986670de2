package org.mustjava.core.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.Saver;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.ModelOutputs;
import org.mustjava.core.train.Task;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;

/**
 * Exports a trained task as a SavedModel for inference: a fresh graph with the task's serving
 * inputs and its model in {@link Mode#PREDICT} (BatchNorm with moving statistics, no labels, no
 * optimiser), weights restored from a checkpoint, and one signature per head whose outputs are
 * that head's predictions (the inputs are all serving inputs). Reload with
 * {@code SavedModelBundle.load(dir, "serve")} or {@link FrozenTeacher}.
 *
 * <p>The export is written to a temporary directory beside the target and renamed into place, so
 * a crash never leaves a half-written model under the target name (the next export to that target
 * removes such leftovers).
 */
public final class SavedModelExporter {
  private SavedModelExporter() {}

  /**
   * @param seed the seed of the graph's initializers (irrelevant to the result: every variable is
   *     restored)
   * @param checkpointPrefix a bundle prefix, e.g. {@code .../checkpoints/ckpt-300/ckpt}
   * @return the signature keys exported (the head names)
   */
  public static List<String> export(Task task, String checkpointPrefix, Path exportDir, long seed) throws IOException {
    Path abs = exportDir.toAbsolutePath();
    Files.createDirectories(abs.getParent());
    deleteStaleTemporaries(abs);
    Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
    List<String> keys = new ArrayList<>();
    try (Graph g = new Graph()) {
      GraphContext ctx = GraphContext.create(g, seed).withTraining(false);
      Map<String, Operand<?>> inputs = task.servingInputs(ctx);
      ModelOutputs out = task.buildModel(ctx, inputs, Mode.PREDICT);
      if (out.predictions().isEmpty()) throw new IllegalStateException(task.getClass().getSimpleName() + " has no predictions to export");
      List<CheckpointVariable> vars = new ArrayList<>();
      for (ModelVariable v : ctx.variables()) vars.add(CheckpointVariable.of(v));
      Saver saver = new Saver(ctx.tf().withSubScope("checkpoint_restore"), vars);
      List<Signature> signatures = new ArrayList<>();
      for (Map.Entry<String, Map<String, Operand<?>>> head : out.predictions().entrySet()) {
        Signature.Builder b = Signature.builder().key(head.getKey());
        inputs.forEach(b::input);
        head.getValue().forEach(b::output);
        signatures.add(b.build());
        keys.add(head.getKey());
      }
      try (Session s = new Session(g)) {
        s.initialize();
        saver.restore(s, checkpointPrefix);
        SavedModelBundle.exporter(tmp.toString()).withTags(SavedModelBundle.DEFAULT_TAG).withSession(s)
            .withSignatures(signatures.toArray(Signature[]::new)).export();
      }
      replaceDirectory(tmp, abs);
    } finally {
      deleteRecursively(tmp);
    }
    return keys;
  }

  /** Removes what an export to {@code target} killed before its rename left behind. */
  private static void deleteStaleTemporaries(Path target) throws IOException {
    String prefix = "." + target.getFileName() + ".";
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path p : siblings.toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith(prefix) && name.endsWith(".tmp")) deleteRecursively(p);
      }
    }
  }

  /** Renames {@code fresh} to {@code target}, moving an existing target aside first. */
  public static void replaceDirectory(Path fresh, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + ".old." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) deleteRecursively(old);
  }

  public static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
    }
  }
}
