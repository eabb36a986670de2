package org.mustjava.models.detection;

import java.util.Map;
import org.mustjava.core.config.ConfigLoader;
import org.mustjava.core.config.ConfigRegistry;
import org.mustjava.core.config.Injector;

/**
 * Builds a configurable from its {@code @Default} values (plus explicit Java values), so the
 * annotations are the one place where defaults are written down.
 */
final class ConfigDefaults {
  private ConfigDefaults() {}

  static <T> T create(Class<T> type, Map<String, ?> explicit) {
    var config = new ConfigLoader(ConfigRegistry.fromServices()).parseString("<defaults>", "").build();
    return new Injector(config).create(type, "", explicit);
  }
}
