package org.mustjava.experiments.stages;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mustjava.core.config.Injector;
import org.mustjava.core.config.OperativeConfig;

/**
 * What the stage cache will do with each stage of a run, decided before anything runs (so a dry
 * run reports exactly what a run would do):
 * <ul>
 *   <li>{@link Action#CACHED}: the directory completed under the same fingerprint, and no upstream
 *       stage runs;
 *   <li>{@link Action#REPAIR}: a {@link Stage#resumable()} stage completed under the same
 *       fingerprint but some of its outputs are gone ({@link Stage#missingOutputs}); it continues in
 *       place and remakes them, and stages downstream stay cached;
 *   <li>{@link Action#RESUME}: a {@link Stage#resumable()} stage started under the same
 *       fingerprint and was interrupted; it continues in place;
 *   <li>{@link Action#RUN}: anything else: no outputs, a changed fingerprint (the stage's config,
 *       an upstream stage or an input file changed), an interrupted non-resumable stage, outputs
 *       without a fingerprint record, or an upstream stage that will run. Existing outputs are
 *       superseded first ({@link StageDirectory}).
 * </ul>
 * A changed binding therefore reruns the stages whose own config holds it and, through the
 * upstream fingerprints, every stage downstream of them; stages that do not read them stay cached.
 */
public final class StagePlan {
  public enum Action { CACHED, REPAIR, RESUME, RUN }

  /**
   * One stage's decision.
   *
   * @param config the stage's operative config, with a header (what {@code stage_config.conf} holds)
   * @param fingerprint null when there is no model directory to fingerprint inputs against
   * @param upstream the names of the stages it reads
   * @param completeWhenPlanned whether its directory was complete under this fingerprint when
   *     planned (another launcher may complete it later: then it need not run here)
   */
  public record Step(Stage stage, String config, StageFingerprint fingerprint, List<String> upstream,
      boolean completeWhenPlanned, Action action, String reason) {
    Step with(Action a, String why) {
      return new Step(stage, config, fingerprint, upstream, completeWhenPlanned, a, why);
    }

    /** E.g. {@code cached (fingerprint 1a2b3c4d5e6f unchanged)} or {@code would run: no outputs}. */
    public String describe(boolean future) {
      return switch (action) {
        case CACHED -> "cached (" + reason + ")";
        case REPAIR -> (future ? "would repair: " : "repairs: ") + reason;
        case RESUME -> (future ? "would resume: " : "resumes: ") + reason;
        case RUN -> (future ? "would run: " : "runs: ") + reason;
      };
    }
  }

  private final List<Step> steps;

  private StagePlan(List<Step> steps) {
    this.steps = List.copyOf(steps);
  }

  public List<Step> steps() {
    return steps;
  }

  /**
   * Plans {@code stages} against {@code modelDir} (null: a dry run without one, where every stage
   * would run).
   *
   * @param configSource the object whose operative config is a stage's: the stage itself, or
   *     for a part of a {@link StageGroup} built in Java, the group
   */
  public static StagePlan make(List<Stage> stages, Function<Stage, Object> configSource, Path modelDir, Injector injector)
      throws IOException {
    List<String> names = stages.stream().map(Stage::name).toList();
    List<Step> steps = new ArrayList<>();
    Map<String, Step> byName = new LinkedHashMap<>();
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      Optional<OperativeConfig> used = injector.operativeConfigOf(stage).or(() -> injector.operativeConfigOf(configSource.apply(stage)));
      String configText = used.map(OperativeConfig::text).orElse("");
      String config = "# Operative configuration of stage '" + stage.name() + "': what building it used (bindings and\n"
          + "# defaults). Hashed, less any Stage#fingerprintExcludes, into " + StageDirectory.FINGERPRINT + ".\n\n" + configText;
      if (modelDir == null) {
        Step s = new Step(stage, config, null, List.of(), false, Action.RUN, "no --model_dir to compare with");
        steps.add(s);
        byName.put(stage.name(), s);
        continue;
      }
      List<String> candidates = new ArrayList<>(used.map(OperativeConfig::strings).orElse(List.of()));
      candidates.addAll(stage.inputs());
      StageInputs.Resolved inputs = StageInputs.resolve(candidates, i, names, modelDir);
      Map<String, String> upstream = new LinkedHashMap<>();
      String upstreamRunning = null;
      for (String u : inputs.upstream()) {
        Step us = byName.get(u);
        upstream.put(u, us.fingerprint().hash());
        // A repaired upstream stage remakes outputs it had made before: downstream stays valid.
        if (upstreamRunning == null && us.action() != Action.CACHED && us.action() != Action.REPAIR) upstreamRunning = u;
      }
      StageFingerprint fingerprint = StageFingerprint.of(stage, configText, upstream, inputs.files());
      StageDirectory dir = new StageDirectory(modelDir, stage.name());
      // Read first: whatever the checks below see is at least as new.
      boolean complete = dir.completed().filter(fingerprint.hash()::equals).isPresent();
      Step s = decide(new Step(stage, config, fingerprint, List.copyOf(inputs.upstream()), complete, Action.RUN, ""),
          dir, upstreamRunning);
      steps.add(s);
      byName.put(stage.name(), s);
    }
    return new StagePlan(steps);
  }

  private static Step decide(Step s, StageDirectory dir, String upstreamRunning) throws IOException {
    if (!dir.hasOutputs()) return s.with(Action.RUN, "no outputs");
    Optional<StageFingerprint> started = dir.started();
    if (started.isEmpty()) {
      return s.with(Action.RUN, "outputs without a fingerprint record (" + StageDirectory.FINGERPRINT + "): superseded");
    }
    if (!started.get().equals(s.fingerprint())) {
      return s.with(Action.RUN, s.fingerprint().explainChange(started.get(), dir.recordedConfig(), s.config(),
          s.stage().fingerprintExcludes()));
    }
    if (upstreamRunning != null) return s.with(Action.RUN, "upstream '" + upstreamRunning + "' runs");
    if (s.completeWhenPlanned() || dir.completed().filter(s.fingerprint().hash()::equals).isPresent()) {
      Optional<String> missing = s.stage().missingOutputs(dir.path());
      if (missing.isEmpty()) return s.with(Action.CACHED, "fingerprint " + s.fingerprint().shortHash() + " unchanged");
      return s.with(s.stage().resumable() ? Action.REPAIR : Action.RUN, "complete, but " + missing.get() + " is missing");
    }
    if (StageLock.heldElsewhere(dir.modelDir(), s.stage().name())) {
      return s.with(s.stage().resumable() ? Action.RESUME : Action.RUN, "another process is running it");
    }
    return s.stage().resumable()
        ? s.with(Action.RESUME, "interrupted run, same fingerprint")
        : s.with(Action.RUN, "interrupted run: starts again");
  }

  /** One line per stage, e.g. {@code 2/3 teachers/depth: would run: upstream 'data' changed}. */
  public List<String> describe(boolean future) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      out.add((i + 1) + "/" + steps.size() + " " + steps.get(i).stage().name() + ": " + steps.get(i).describe(future));
    }
    return out;
  }
}
