package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableModule;

class PipelineConfigurablesTest {
  private static InputPipeline configure(
      Optional<List<String>> tasks, Optional<List<Double>> jitter, Optional<Integer> batch) {
    return InputPipeline.configure(
        List.of("data-*"), Optional.empty(), tasks, batch, Optional.empty(), jitter,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void unboundParametersKeepTheDefaults() {
    InputPipeline p = configure(Optional.empty(), Optional.empty(), Optional.empty());
    assertTrue(p.training());
    assertEquals(EnumSet.of(Task.CLASSIFICATION), p.tasks());
    assertEquals(8, p.batchSize());
    assertEquals(64, p.imageSize());
    assertArrayEquals(new float[] {0.5f, 2.0f}, p.scaleJitter());
    assertEquals(2, p.parallelism());
    assertNull(p.seed());
  }

  @Test
  void boundParametersApply() {
    InputPipeline p =
        configure(
            Optional.of(List.of("Detection", "depth")),
            Optional.of(List.of(0.8, 1.25)),
            Optional.of(16));
    assertEquals(EnumSet.of(Task.DETECTION, Task.DEPTH), p.tasks());
    assertArrayEquals(new float[] {0.8f, 1.25f}, p.scaleJitter());
    assertEquals(16, p.batchSize());
  }

  @Test
  void badValuesAreRejectedWithTheirName() {
    Exception task =
        assertThrows(
            IllegalArgumentException.class,
            () -> configure(Optional.of(List.of("depht")), Optional.empty(), Optional.empty()));
    assertTrue(task.getMessage().contains("depht"), task.getMessage());
    Exception jitter =
        assertThrows(
            IllegalArgumentException.class,
            () -> configure(Optional.empty(), Optional.of(List.of(2.0, 1.0)), Optional.empty()));
    assertTrue(jitter.getMessage().contains("jitter"), jitter.getMessage());
    Exception batch =
        assertThrows(
            IllegalArgumentException.class,
            () -> configure(Optional.empty(), Optional.empty(), Optional.of(0)));
    assertTrue(batch.getMessage().contains("batchSize"), batch.getMessage());
  }

  @Test
  void registeredThroughTheServiceFile() throws NoSuchMethodException {
    boolean found = false;
    for (ConfigurableModule m : ServiceLoader.load(ConfigurableModule.class)) {
      found |= m.configurables().contains(InputPipeline.class);
    }
    assertTrue(found, "PipelineConfigurables listed in META-INF/services");
    Configurable c =
        InputPipeline.class
            .getMethod("configure", List.class, Optional.class, Optional.class, Optional.class,
                Optional.class, Optional.class, Optional.class, Optional.class, Optional.class,
                Optional.class, Optional.class, Optional.class, Optional.class, Optional.class,
                Optional.class, Optional.class)
            .getAnnotation(Configurable.class);
    assertEquals("Pipeline", c.value());
    assertFalse(c.value().isEmpty());
  }
}
