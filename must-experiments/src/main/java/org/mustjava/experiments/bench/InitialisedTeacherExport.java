package org.mustjava.experiments.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.Saver;
import org.mustjava.core.export.SavedModelExporter;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.train.Mode;
import org.mustjava.core.train.Task;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

/**
 * Exports an untrained task as a SavedModel teacher (what {@code Trainer} would export after
 * training, minus the training): weights from the initialisers, and BatchNorm parameters and
 * moving statistics randomised as after training, so that a teacher's BatchNorms are not the
 * identity (which would make folding them trivially exact). For benchmarks and tests.
 */
public final class InitialisedTeacherExport {
  private InitialisedTeacherExport() {}

  /** Writes a checkpoint under {@code work} and the SavedModel to {@code exportDir}. */
  public static void export(Task task, Path work, Path exportDir, long seed) throws IOException {
    Path prefix = work.resolve("ckpt");
    Files.createDirectories(work);
    Random rnd = new Random(seed);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, seed).withTraining(false);
      task.buildModel(ctx, task.servingInputs(ctx), Mode.PREDICT);
      List<CheckpointVariable> vars = new ArrayList<>();
      for (ModelVariable v : ctx.variables()) vars.add(CheckpointVariable.of(v));
      Saver saver = new Saver(ctx.scope("saver").tf(), vars);
      s.initialize();
      Ops tf = ctx.scope("randomise").tf();
      Session.Runner assign = s.runner();
      boolean any = false;
      for (ModelVariable v : ctx.variables()) {
        String n = v.name();
        boolean positive = n.endsWith("gamma") || n.endsWith("moving_variance");
        if (!positive && !n.endsWith("beta") && !n.endsWith("moving_mean")) continue;
        float[] values = new float[(int) v.shape().size()];
        for (int i = 0; i < values.length; i++) values[i] = positive ? 0.5f + rnd.nextFloat() : 0.2f * (float) rnd.nextGaussian();
        assign.addTarget(tf.assign(v.variable(), tf.constant(values)));
        any = true;
      }
      if (any) assign.run();
      saver.save(s, prefix.toString());
    }
    SavedModelExporter.export(task, prefix.toString(), exportDir, seed);
  }
}
