package org.mustjava.experiments.stages;

import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.experiments.Experiment;
import org.mustjava.experiments.ExperimentDescription;
import org.mustjava.experiments.RunContext;

/** Runs a list of stages in order (each skips work it finds done). */
@ExperimentDescription("runs a list of stages (data, training, evaluation) in order; e.g. experiments/mini/smoke.conf")
public final class StagedExperiment implements Experiment {
  private final List<Stage> stages;

  @Configurable("Stages")
  public StagedExperiment(List<Stage> stages) {
    if (stages.isEmpty()) throw new IllegalArgumentException("Stages.stages is empty");
    this.stages = List.copyOf(stages);
  }

  @Override
  public void run(RunContext context) throws Exception {
    for (int i = 0; i < stages.size(); i++) {
      Stage s = stages.get(i);
      context.err().println("== stage " + (i + 1) + "/" + stages.size() + ": " + s.name());
      s.run(context);
    }
  }
}
