package org.mustjava.data.pipeline;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** Registers the input-pipeline configurables ({@code Pipeline}, {@code SimCLRAugmentation}). */
public final class PipelineConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(InputPipeline.class, DataSource.class, org.mustjava.data.augment.SimCLRAugmentation.class);
  }
}
