package org.mustjava.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which calls {@link StepTimer} makes and counts (no assertions on durations). */
class StepTimerTest {

  @Test
  void warmUpCallsAreMadeButNotCounted() {
    int[] calls = {0};
    Timing t = new StepTimer(2, 5, 0).time(() -> calls[0]++);
    assertEquals(7, calls[0]);
    assertEquals(5, t.steps());
    assertTrue(t.seconds() >= 0);
  }

  @Test
  void alternateInterleavesBlocksAndSumsThem() {
    List<String> log = new ArrayList<>();
    List<Timing> t = new StepTimer(1, 3, 0).alternate(2, List.of(() -> log.add("a"), () -> log.add("b")));
    // One warm-up call each, then two rounds of blocks of ceil(3 / 2) = 2 calls.
    assertEquals(List.of("a", "b", "a", "a", "b", "b", "a", "a", "b", "b"), log);
    assertEquals(4, t.get(0).steps());
    assertEquals(4, t.get(1).steps());
  }

  @Test
  void timingArithmetic() {
    Timing t = new Timing(4, 2.0, 3.0).plus(new Timing(6, 3.0, 2.0));
    assertEquals(10, t.steps());
    assertEquals(0.5, t.secondsPerStep(), 1e-12);
    assertEquals(16.0, t.perSecond(8), 1e-12);
    assertEquals(5.0 / 80, t.cpuSecondsPer(8), 1e-12);
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new StepTimer(0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new StepTimer(0, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> new StepTimer(0, 1, 0).alternate(0, List.of(() -> {})));
  }
}
