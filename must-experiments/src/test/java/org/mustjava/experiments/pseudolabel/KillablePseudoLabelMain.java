package org.mustjava.experiments.pseudolabel;

import java.nio.file.Path;

/**
 * Runs the three-teacher pseudo-labelling of {@link PseudoLabelResumeAfterKillTest} in its own JVM,
 * sleeping after every batch so that the test can kill it (SIGKILL) in the middle of a shard.
 * Progress lines go to stdout. Args: work directory, model directory, sleep per batch (ms).
 */
public final class KillablePseudoLabelMain {
  private KillablePseudoLabelMain() {}

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    long sleepMs = Long.parseLong(args[2]);
    PseudoLabelStage stage = Fixtures.create(PseudoLabelStage.class, PseudoLabelResumeAfterKillTest.config(work))
        .afterBatch(() -> {
          try {
            Thread.sleep(sleepMs);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    stage.run(Path.of(args[1]), System.out);
    System.out.println("DONE");
  }
}
