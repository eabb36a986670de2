package org.mustjava.experiments.stages;

import java.util.List;
import org.mustjava.experiments.Experiment;
import org.mustjava.experiments.ExperimentModule;

/** Experiments made of stages. */
public final class StageExperiments implements ExperimentModule {
  @Override
  public List<Class<? extends Experiment>> experiments() {
    return List.of(StagedExperiment.class);
  }
}
