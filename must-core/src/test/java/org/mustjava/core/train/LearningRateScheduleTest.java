package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Hand-computed values, and the graph op equal to the Java function at every step. */
class LearningRateScheduleTest {
  @Test
  void cosineWithWarmup() {
    CosineDecay s = new CosineDecay(1.0, 10, 0.0, 0.0);
    assertEquals(0.0, s.valueAt(0, 110), 1e-12);
    assertEquals(0.5, s.valueAt(5, 110), 1e-12);
    assertEquals(1.0, s.valueAt(10, 110), 1e-12);
    assertEquals(0.5, s.valueAt(60, 110), 1e-12); // half way through the decay: cos(pi/2)
    assertEquals(0.0, s.valueAt(110, 110), 1e-12);
    assertEquals(0.0, s.valueAt(500, 110), 1e-12);
    assertGraphMatches(s, 110);
    assertGraphMatches(new CosineDecay(0.3, 0, 0, 0.01), 50);
  }

  @Test
  void stepAndConstant() {
    StepDecay s = new StepDecay(0.1, List.of(30L, 60L), 0.1);
    assertEquals(0.1, s.valueAt(29, 90), 1e-12);
    assertEquals(0.01, s.valueAt(30, 90), 1e-12);
    assertEquals(0.001, s.valueAt(75, 90), 1e-12);
    assertGraphMatches(s, 90);
    assertGraphMatches(new ConstantLearningRate(0.02), 10);
  }

  private static void assertGraphMatches(LearningRateSchedule schedule, long total) {
    try (Graph g = new Graph(); Session sess = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TInt64> step = tf.placeholder(TInt64.class);
      var lr = schedule.build(tf, step, total);
      for (long i = 0; i <= total + 5; i++) {
        try (TInt64 t = TInt64.scalarOf(i); Result r = sess.runner().feed(step, t).fetch(lr).run()) {
          assertEquals(schedule.valueAt(i, total), ((TFloat32) r.get(0)).getFloat(), 1e-6, schedule + " at " + i);
        }
      }
    }
  }
}
