package org.mustjava.experiments;

import java.util.List;

/**
 * Registration of experiments (ServiceLoader SPI, like {@link
 * org.mustjava.core.config.ConfigurableModule}): list implementations, one class per line, in
 * {@code META-INF/services/org.mustjava.experiments.ExperimentModule}. Listed classes are also
 * registered as configurables, so they need not be listed twice.
 */
public interface ExperimentModule {
  /** Experiment classes: {@code @Configurable}, {@link ExperimentDescription}, implementing {@link Experiment}. */
  List<Class<? extends Experiment>> experiments();
}
