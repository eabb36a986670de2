package org.mustjava.models.metrics;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** The eval metric configurables. */
public final class MetricsConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(TopKAccuracy.class, MeanIoU.class, DepthMetrics.class, NormalsMetrics.class, VocAP.class,
        CocoAP.class);
  }
}
