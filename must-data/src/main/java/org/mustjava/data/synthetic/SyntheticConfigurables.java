package org.mustjava.data.synthetic;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** Registers the synthetic-data configurables ({@code SceneDomain}, {@code SyntheticDataset}). */
public final class SyntheticConfigurables implements ConfigurableModule {

  @Override
  public List<Class<?>> configurables() {
    return List.of(SceneDomains.class, SyntheticDatasetWriter.class);
  }
}
