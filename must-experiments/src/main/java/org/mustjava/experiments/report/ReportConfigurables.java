package org.mustjava.experiments.report;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** The report configurables: the results stage. */
public final class ReportConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(ResultsStage.class);
  }
}
