package org.mustjava.experiments.finetune;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** The fine-tuning configurables: the grid stage, its rows (pre-trainings) and columns (downstream tasks). */
public final class FineTuneConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(FineTuneGrid.class, Pretraining.class, DownstreamTask.class);
  }
}
