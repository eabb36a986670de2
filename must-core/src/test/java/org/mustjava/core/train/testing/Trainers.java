package org.mustjava.core.train.testing;

import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;
import org.mustjava.core.train.Trainer;

/** Trainers for tests, configured through the config language like real runs. */
public final class Trainers {
  private Trainers() {}

  /** A trainer from config text, e.g. {@code "Trainer.steps = 30\nTrainer.seed = 1"}. */
  public static Trainer fromConfig(String config) {
    return injector(config).create(Trainer.class);
  }

  public static Injector injector(String config) {
    return new Injector(new ConfigLoader(ConfigRegistry.fromServices()).parseString("test.conf", config).build());
  }
}
