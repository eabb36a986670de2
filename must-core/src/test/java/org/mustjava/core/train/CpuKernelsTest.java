package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuKernelsTest {
  @Test
  void advisesSettingTheSwitchOnlyWhenItIsMissing() {
    Optional<String> advice = CpuKernels.advice(Map.of("PATH", "/usr/bin"));
    assertTrue(advice.isPresent());
    assertTrue(advice.get().contains("TF_ENABLE_ONEDNN_OPTS=1"), advice.get());
    assertTrue(advice.get().contains("before the JVM starts"), advice.get());
    // Either explicit choice is respected silently, including turning oneDNN off.
    assertEquals(Optional.empty(), CpuKernels.advice(Map.of(CpuKernels.ENV, "1")));
    assertEquals(Optional.empty(), CpuKernels.advice(Map.of(CpuKernels.ENV, "0")));
  }
}
