package org.mustjava.core.train.testing;

import java.nio.file.Path;
import java.util.Map;
import org.mustjava.core.train.StepListener;
import org.mustjava.core.train.Trainer;

/**
 * A training process for the kill/resume test: trains {@link TinyConvTask} in {@code args[0]} to
 * {@code args[1]} steps, printing {@code STEP <n> <total loss bits>} after every step and
 * {@code CHECKPOINT <n>} after every commit. {@code args[2]} milliseconds of sleep per step (after
 * step 10) give the parent time to kill it mid-run. An optional {@code args[3]} = {@code
 * iterator_state} makes the task hand its input iterator to the trainer (see {@link
 * TinyConvTask#withIteratorState()}).
 */
public final class TinyTrainingMain {
  private TinyTrainingMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long steps = Long.parseLong(args[1]);
    long sleepMs = Long.parseLong(args[2]);
    boolean iteratorState = args.length > 3 && args[3].equals("iterator_state");
    Trainer trainer = Trainers.fromConfig(config(steps)).addListener(new StepListener() {
      @Override
      public void onStep(long step, Map<String, Double> losses, double lr) {
        System.out.println("STEP " + step + " " + Double.doubleToRawLongBits(losses.get("total")));
        System.out.flush();
        if (sleepMs > 0 && step > 10) {
          try {
            Thread.sleep(sleepMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void onCheckpoint(long step) {
        System.out.println("CHECKPOINT " + step);
        System.out.flush();
      }
    });
    trainer.train(iteratorState ? task().withIteratorState() : task(), dir, "");
    System.out.println("DONE");
  }

  /** The run's configuration: momentum with Nesterov, cosine schedule, weight decay, BN. */
  public static String config(long steps) {
    return String.join("\n",
        "Trainer.steps = " + steps,
        "Trainer.seed = 5",
        "Trainer.optimizer = @MomentumOptimizer()",
        "MomentumOptimizer.nesterov = True",
        "Trainer.learning_rate = @CosineDecay()",
        "CosineDecay.rate = 0.05",
        "CosineDecay.warmup_steps = 4",
        "Trainer.weight_decay = 1e-3",
        "Trainer.clip_norm = 5.0",
        "Trainer.log_every = 1000",
        "Trainer.checkpoint_every = 10",
        "");
  }

  public static TinyConvTask task() {
    return new TinyConvTask(4, true, 21, 2);
  }
}
