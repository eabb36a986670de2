package org.mustjava.experiments.builtin;

import java.util.List;
import org.mustjava.experiments.Experiment;
import org.mustjava.experiments.ExperimentModule;

/** The experiments that ship with the launcher itself. */
public final class BuiltinExperiments implements ExperimentModule {
  @Override
  public List<Class<? extends Experiment>> experiments() {
    return List.of(PrintConfig.class);
  }
}
