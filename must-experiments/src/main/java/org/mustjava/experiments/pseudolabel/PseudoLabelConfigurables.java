package org.mustjava.experiments.pseudolabel;

import java.util.List;
import org.mustjava.core.config.ConfigurableModule;

/** The pseudo-labelling configurables: the stage and its teachers. */
public final class PseudoLabelConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(PseudoLabelStage.class, SavedModelTeacher.class);
  }
}
