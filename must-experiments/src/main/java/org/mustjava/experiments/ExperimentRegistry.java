package org.mustjava.experiments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.mustjava.core.config.ConfigException;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.ConfigurableInfo;

/** The experiments {@link ExperimentModule}s list, registered into a {@link ConfigRegistry}. */
public final class ExperimentRegistry {
  /** One experiment: its config name (what {@code @Name()} uses), description and class. */
  public record Entry(String name, String description, Class<? extends Experiment> type) {}

  private final List<Entry> entries;

  private ExperimentRegistry(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Loads every {@link ExperimentModule} visible to the context class loader into {@code registry}. */
  public static ExperimentRegistry load(ConfigRegistry registry) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    List<Class<? extends Experiment>> classes = new ArrayList<>();
    for (ExperimentModule module : ServiceLoader.load(ExperimentModule.class, loader != null ? loader : ExperimentRegistry.class.getClassLoader())) {
      classes.addAll(module.experiments());
    }
    return of(registry, classes);
  }

  /** Registers {@code classes} into {@code registry} and describes them. */
  public static ExperimentRegistry of(ConfigRegistry registry, List<Class<? extends Experiment>> classes) {
    List<Entry> entries = new ArrayList<>();
    for (Class<? extends Experiment> c : classes) {
      if (!Experiment.class.isAssignableFrom(c)) {
        throw new ConfigException(null, c.getName() + " is listed as an experiment but does not implement " + Experiment.class.getName());
      }
      ExperimentDescription description = c.getAnnotation(ExperimentDescription.class);
      if (description == null) {
        throw new ConfigException(null, "experiment " + c.getName() + " has no @ExperimentDescription");
      }
      registry.register(c);
      for (ConfigurableInfo info : registry.configurables()) {
        if (info.executable().getDeclaringClass() == c && Experiment.class.isAssignableFrom(info.resultClass())) {
          entries.add(new Entry(registry.displayName(info), description.value(), c));
        }
      }
    }
    entries.sort(Comparator.comparing(Entry::name));
    return new ExperimentRegistry(entries);
  }

  /** Every experiment, sorted by name. */
  public List<Entry> entries() {
    return entries;
  }
}
