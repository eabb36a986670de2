package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.train.testing.TinyConvTask;
import org.mustjava.core.train.testing.TinyTrainingMain;
import org.mustjava.core.train.testing.Trainers;

/** A fixed seed gives the same loss curve, bit for bit; another seed gives another curve. */
class DeterminismTest {
  @TempDir Path dir;

  @Test
  void sameSeedSameLossCurve() throws Exception {
    List<Long> a = curve(dir.resolve("a"), TinyTrainingMain.config(30));
    List<Long> b = curve(dir.resolve("b"), TinyTrainingMain.config(30));
    assertEquals(30, a.size());
    assertEquals(a, b);
    List<Long> c = curve(dir.resolve("c"), TinyTrainingMain.config(30).replace("Trainer.seed = 5", "Trainer.seed = 6"));
    assertNotEquals(a, c);
  }

  private static List<Long> curve(Path dir, String config) throws Exception {
    List<Long> losses = new ArrayList<>();
    Trainers.fromConfig(config)
        .withLogger(new ProgressLogger(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false, 30))
        .addListener(new StepListener() {
          @Override
          public void onStep(long step, Map<String, Double> l, double lr) {
            losses.add(Double.doubleToRawLongBits(l.get("total")));
          }
        })
        .train(new TinyConvTask(4, true, 21, 2), dir, "");
    return losses;
  }
}
