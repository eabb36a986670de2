package org.mustjava.experiments.stages;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** The stage configurables. */
public final class StageConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(SyntheticDataStage.class, ConvertedDataStage.class, TrainStage.class);
  }
}
