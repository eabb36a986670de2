package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableModule;

class DetectionConfigurablesTest {

  @Test
  void everyListedClassHasAConfigurableConstructorAndTheModuleIsAService() {
    for (Class<?> c : new DetectionConfigurables().configurables()) {
      boolean annotated = c.isAnnotationPresent(Configurable.class)
          || Arrays.stream(c.getConstructors()).anyMatch(k -> k.isAnnotationPresent(Configurable.class));
      assertTrue(annotated, c + " has no @Configurable");
    }
    boolean found = false;
    for (ConfigurableModule m : ServiceLoader.load(ConfigurableModule.class)) found |= m instanceof DetectionConfigurables;
    assertTrue(found, "DetectionConfigurables is listed in META-INF/services");
  }
}
