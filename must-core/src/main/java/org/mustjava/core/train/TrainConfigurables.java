package org.mustjava.core.train;

import java.util.List;
import org.mustjava.core.checkpoint.PartialRestore;
import org.mustjava.core.config.ConfigurableModule;
import org.mustjava.core.graph.Precision;

/** The training engine's configurables. */
public final class TrainConfigurables implements ConfigurableModule {
  @Override
  public List<Class<?>> configurables() {
    return List.of(
        Trainer.class,
        MomentumOptimizer.class,
        AdamOptimizer.class,
        LarsOptimizer.class,
        ConstantLearningRate.class,
        CosineDecay.class,
        StepDecay.class,
        PartialRestore.class,
        Precision.class);
  }
}
