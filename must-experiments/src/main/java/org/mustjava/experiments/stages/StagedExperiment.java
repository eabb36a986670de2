package org.mustjava.experiments.stages;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
    if (p.startsWith(StageDirectory.SUPERSEDED) || p.startsWith(StageLock.DIRECTORY)) {
      throw new IllegalArgumentException("stage name '" + name + "': '" + StageDirectory.SUPERSEDED + "' and '"
          + StageLock.DIRECTORY + "' are reserved (superseded outputs, stage locks)");
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

  /**
   * Runs the stages the plan does not find cached, in order, each under its {@link StageLock}
   * (but those that {@link Stage#runsConcurrently() run concurrently}).
   * A stage another launcher holds is passed over (and so is everything downstream of it) while
   * others can run; when nothing else can, this launcher waits for it. A stage that another
   * launcher completed meanwhile under the same fingerprint is not run again.
   */
  @Override
  public void run(RunContext context) throws Exception {
    StagePlan plan = plan(context);
    List<String> lines = plan.describe(false);
    List<StagePlan.Step> pending = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      StagePlan.Step step = plan.steps().get(i);
      context.err().println("== stage " + lines.get(i));
      if (step.action() == StagePlan.Action.CACHED) continue;
      pending.add(step);
    }
    Set<String> unfinished = new HashSet<>();
    pending.forEach(p -> unfinished.add(p.stage().name()));
    Set<String> announced = new HashSet<>();
    while (!pending.isEmpty()) {
      StagePlan.Step next = null;
      StageLock lock = null;
      for (StagePlan.Step step : pending) {
        if (step.upstream().stream().anyMatch(unfinished::contains)) continue;
        if (step.stage().runsConcurrently()) {
          next = step; // no exclusive lock: the stage shares its work with other launchers itself
          break;
        }
        Optional<StageLock> claim = StageLock.tryAcquire(context.modelDir(), step.stage().name());
        if (claim.isPresent()) {
          next = step;
          lock = claim.get();
          break;
        }
        if (announced.add(step.stage().name())) {
          context.err().println(step.stage().name() + ": another process is running it; going on with other stages");
        }
      }
      if (next == null) {
        // The first pending stage has no pending upstream: another launcher holds it.
        next = pending.get(0);
        context.err().println(next.stage().name() + ": waiting for the other process to finish it");
        lock = StageLock.acquire(context.modelDir(), next.stage().name());
      }
      if (lock == null) {
        execute(next, context);
      } else {
        try (StageLock held = lock) {
          execute(next, context);
        }
      }
      pending.remove(next);
      unfinished.remove(next.stage().name());
    }
  }

  private static void execute(StagePlan.Step step, RunContext context) throws Exception {
    String name = step.stage().name();
    StageDirectory dir = new StageDirectory(context.modelDir(), name);
    if (!step.completeWhenPlanned() && dir.completed().filter(step.fingerprint().hash()::equals).isPresent()) {
      context.err().println(name + ": completed by another process meanwhile (fingerprint " + step.fingerprint().shortHash() + ")");
      return;
    }
    context.err().println("== running stage " + name);
    if (step.action() == StagePlan.Action.RUN) {
      dir.supersede().ifPresent(m -> context.err().println(name + ": moved its previous outputs to " + m));
    }
    dir.start(step.fingerprint(), step.config());
    long start = System.nanoTime();
    step.stage().run(context);
    dir.complete(step.fingerprint());
    context.err().printf(java.util.Locale.ROOT, "== stage %s done in %.1f s%n", name, (System.nanoTime() - start) / 1e9);
  }

  /**
   * {@code --dry_run --build_graphs}: builds every stage's graphs ({@link Stage#buildGraphs}) in
   * order, printing per stage what it built (op count, build time) or why it builds none, as
   * comment lines. Cached stages are built too (the check is of the config, not of the run). A
   * stage that fails to build is reported and the others still built; then the run fails naming
   * them. Config errors stop at once (exit 2).
   */
  @Override
  public void buildGraphs(RunContext context) throws Exception {
    context.out().println();
    context.out().println("# Graphs (--build_graphs; built, not run):");
    List<String> failed = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      String head = "#   " + (i + 1) + "/" + stages.size() + " " + stage.name() + ": ";
      List<String> lines;
      try {
        lines = stage.buildGraphs(context);
      } catch (org.mustjava.core.config.ConfigException e) {
        throw e;
      } catch (Exception | LinkageError e) {
        failed.add(stage.name());
        lines = List.of("FAILED to build: " + e);
      }
      if (lines.size() == 1) {
        context.out().println(head + lines.get(0));
      } else {
        context.out().println(head);
        for (String line : lines) context.out().println("#       " + line);
      }
      context.out().flush();
    }
    context.out().printf(java.util.Locale.ROOT, "#   all graphs built in %.1f s%n", (System.nanoTime() - start) / 1e9);
    if (!failed.isEmpty()) {
      throw new IllegalStateException(failed.size() + " stage(s) failed to build their graphs: " + String.join(", ", failed)
          + " (see the # Graphs lines above)");
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
