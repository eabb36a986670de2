package org.mustjava.experiments.stages;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.config.Configurable;
import org.mustjava.experiments.Experiment;
import org.mustjava.experiments.ExperimentDescription;
import org.mustjava.experiments.RunContext;

/**
 * Runs a list of stages in order through the stage cache ({@link StagePlan}): a stage whose
 * outputs completed under the same fingerprint is skipped, a changed one reruns in a clean
 * directory, and so does everything downstream of it. Which stages are upstream of which follows
 * from the paths each reads (see {@link StageInputs}), so the list order only has to put every
 * stage after those it reads.
 */
@ExperimentDescription("runs a list of stages (data, training, evaluation) in order; e.g. experiments/mini/smoke.conf")
public final class StagedExperiment implements Experiment {
  /** The stages to run, {@link StageGroup}s replaced by their parts. */
  private final List<Stage> stages;
  /** Part -> the group it came from (by identity). */
  private final Map<Stage, StageGroup> groups = new IdentityHashMap<>();

  /**
   * @param stages in run order, every stage after those whose outputs it reads; a {@link
   *     StageGroup} stands for its parts
   */
  @Configurable("Stages")
  public StagedExperiment(List<Stage> stages) {
    if (stages.isEmpty()) throw new IllegalArgumentException("Stages.stages is empty");
    List<Stage> flat = new ArrayList<>();
    for (Stage s : stages) {
      if (s instanceof StageGroup g) {
        for (Stage part : g.parts()) {
          if (part instanceof StageGroup) throw new IllegalArgumentException("stage group '" + g.name() + "' contains a group");
          groups.put(part, g);
          flat.add(part);
        }
      } else {
        flat.add(s);
      }
    }
    this.stages = List.copyOf(flat);
    for (int i = 0; i < this.stages.size(); i++) {
      Path a = directory(this.stages.get(i).name());
      for (int j = 0; j < i; j++) {
        Path b = directory(this.stages.get(j).name());
        if (a.startsWith(b) || b.startsWith(a)) {
          throw new IllegalArgumentException("stages '" + b + "' and '" + a + "' write to the same directory"
              + (a.equals(b) ? "" : " (one inside the other)") + ": give each stage its own directory");
        }
      }
    }
  }

  private static Path directory(String name) {
    Path p;
    try {
      p = Path.of(name);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("stage name '" + name + "' is not a directory name: " + e.getMessage());
    }
    if (name.isBlank() || p.isAbsolute() || !p.normalize().equals(p) || p.startsWith("..") || p.toString().isEmpty()) {
      throw new IllegalArgumentException("stage name '" + name + "' must be a relative directory without '.' or '..'");
    }
    if (p.startsWith(StageDirectory.SUPERSEDED)) {
      throw new IllegalArgumentException("stage name '" + name + "': '" + StageDirectory.SUPERSEDED + "' holds superseded outputs");
    }
    return p;
  }

  /** The stages in run order, groups replaced by their parts. */
  public List<Stage> stages() {
    return stages;
  }

  private StagePlan plan(RunContext context) throws java.io.IOException {
    return StagePlan.make(stages, s -> groups.containsKey(s) ? groups.get(s) : s, context.modelDir(), context.injector());
  }

  @Override
  public void run(RunContext context) throws Exception {
    StagePlan plan = plan(context);
    List<String> lines = plan.describe(false);
    for (int i = 0; i < stages.size(); i++) {
      StagePlan.Step step = plan.steps().get(i);
      context.err().println("== stage " + lines.get(i));
      if (step.action() == StagePlan.Action.CACHED) continue;
      StageDirectory dir = new StageDirectory(context.modelDir(), step.stage().name());
      if (step.action() == StagePlan.Action.RUN) {
        Optional<Path> moved = dir.supersede();
        moved.ifPresent(m -> context.err().println(step.stage().name() + ": moved its previous outputs to " + m));
      }
      dir.start(step.fingerprint(), step.config());
      step.stage().run(context);
      dir.complete(step.fingerprint());
    }
  }

  /** Lists each stage as cached or would run (with the reason), as comment lines. */
  @Override
  public void dryRun(RunContext context) throws Exception {
    StagePlan plan = plan(context);
    context.out().println();
    context.out().println("# Stages" + (context.modelDir() == null ? " (no --model_dir given)" : " in " + context.modelDir()) + ":");
    for (String line : plan.describe(true)) context.out().println("#   " + line);
  }
}
