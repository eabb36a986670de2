package org.mustjava.experiments.launcher;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** Configurables of the launcher package. */
public final class LauncherConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(Launcher.class);
  }
}
