package org.mustjava.models.tasks;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** The task configurables. */
public final class TaskConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(MultiTaskTrainingTask.class, SimCLRTask.class);
  }
}
