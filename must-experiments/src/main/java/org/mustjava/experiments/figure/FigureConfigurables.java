package org.mustjava.experiments.figure;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** The figure configurables: the prediction panels stage. */
public final class FigureConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(PredictionPanelsStage.class);
  }
}
