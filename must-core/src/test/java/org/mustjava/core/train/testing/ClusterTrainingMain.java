package org.mustjava.core.train.testing;

import java.nio.file.Path;
import java.util.Map;
import org.mustjava.core.distributed.ClusterRuntime;
import org.mustjava.core.distributed.ClusterSpec;
import org.mustjava.core.train.SessionConfigs;
import org.mustjava.core.train.StepListener;
import org.mustjava.core.train.Trainer;

/**
 * The chief of a training cluster for the distributed tests: {@code args = DIR STEPS CLUSTER
 * SLEEP_MS} trains {@link TinyConvTask} without BatchNorm in {@code DIR} as task 0 of {@code
 * CLUSTER} (or locally when it is {@code local}), printing {@code STEP <n> <loss bits>} per step,
 * {@code CHECKPOINT <n>} per checkpoint and, at the end, {@code VAR <name> <values...>} for every
 * variable. A failure prints {@code ERROR <message>} and exits 1.
 */
public final class ClusterTrainingMain {
  private ClusterTrainingMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    long sleepMs = Long.parseLong(args[3]);
    if (!args[2].equals("local")) ClusterRuntime.startChief(ClusterSpec.parse(args[2]), SessionConfigs.create(1, 0, 0));
    Trainer trainer = Trainers.fromConfig(String.join("\n",
        "Trainer.steps = " + steps,
        "Trainer.seed = 9",
        "Trainer.learning_rate = @ConstantLearningRate()",
        "ConstantLearningRate.rate = 0.1",
        "Trainer.weight_decay = 1e-3",
        "Trainer.log_every = 1000",
        "Trainer.checkpoint_every = 5",
        "")).addListener(new StepListener() {
          @Override
          public void onStep(long step, Map<String, Double> losses, double lr) {
            System.out.println("STEP " + step + " " + Double.doubleToRawLongBits(losses.get("total")));
            System.out.flush();
            sleep(sleepMs);
          }

          @Override
          public void onCheckpoint(long step) {
            System.out.println("CHECKPOINT " + step);
            System.out.flush();
          }
        });
    try {
      trainer.train(new TinyConvTask(8, false, 4, 1), dir, "");
    } catch (RuntimeException e) {
      System.out.println("ERROR " + e.getMessage().replace('\n', ' '));
      System.out.flush();
      System.exit(1);
    }
    for (Map.Entry<String, float[]> v : CheckpointValues.latest(dir.resolve("checkpoints")).entrySet()) {
      StringBuilder b = new StringBuilder("VAR ").append(v.getKey());
      for (float x : v.getValue()) b.append(' ').append(Float.floatToRawIntBits(x));
      System.out.println(b);
    }
    System.out.println("DONE");
    System.exit(0);
  }

  private static void sleep(long ms) {
    if (ms <= 0) return;
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
