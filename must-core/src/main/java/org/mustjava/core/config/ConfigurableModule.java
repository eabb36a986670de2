package org.mustjava.core.config;

import java.util.List;

/**
 * Explicit registration of configurables: each Maven module lists its {@link Configurable} classes
 * in one implementation of this interface, named in
 * {@code META-INF/services/org.mustjava.core.config.ConfigurableModule}.
 */
public interface ConfigurableModule {
  /** Classes carrying {@link Configurable} on the type, a constructor or static factory methods. */
  List<Class<?>> configurables();
}
