package org.mustjava.experiments.stages;

import org.mustjava.experiments.RunContext;

/**
 * One step of an experiment (generate data, train a teacher, pseudo-label, train the student,
 * fine-tune, evaluate), writing under the run's model directory. A stage whose outputs are
 * complete does nothing on rerun (and says so), so an interrupted experiment is restarted by
 * running the same command again.
 */
public interface Stage {
  /** The stage's name, also its output directory below the model directory where it has one. */
  String name();

  void run(RunContext context) throws Exception;
}
