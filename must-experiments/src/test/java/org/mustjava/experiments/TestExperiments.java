package org.mustjava.experiments;

import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;

/** Experiments that exist only for the launcher tests (listed in src/test/resources). */
public final class TestExperiments implements ExperimentModule {
  @Override
  public List<Class<? extends Experiment>> experiments() {
    return List.of(FailingExperiment.class, LazyExperiment.class);
  }

  /** Fails while running: the launcher must exit 1. */
  @Configurable("FailingExperiment")
  @ExperimentDescription("always fails while running (launcher tests)")
  public static final class FailingExperiment implements Experiment {
    public FailingExperiment() {}

    @Override
    public void run(RunContext context) {
      throw new IllegalStateException("boom");
    }
  }

  /** Creates a configurable only while running, in scope 'late'. */
  @Configurable("LazyExperiment")
  @ExperimentDescription("creates a configurable while running (launcher tests)")
  public static final class LazyExperiment implements Experiment {
    public LazyExperiment() {}

    @Override
    public void run(RunContext context) throws Exception {
      ((Experiment) context.injector().call("PrintConfig", "late", Map.of())).run(context);
    }
  }
}
