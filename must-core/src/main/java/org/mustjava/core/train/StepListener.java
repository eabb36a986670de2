package org.mustjava.core.train;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mustjava.core.checkpoint.CheckpointVariable;
import org.mustjava.core.checkpoint.RestoreReport;

/** Observes a training run (tests, reports); called on the training thread. */
public interface StepListener {
  /** After every step; {@code losses} holds task losses, {@code weight_decay} and {@code total}. */
  default void onStep(long step, Map<String, Double> losses, double learningRate) {}

  /**
   * On a fresh start (not on a resume), once the variables are initialised: the model's variables
   * (optimiser slots and step excluded) and, when the trainer has {@code init_from}, what that
   * partial restore assigned and reported. Fine-tuning records it per grid cell.
   */
  default void onInitialised(List<CheckpointVariable> modelVariables, Optional<RestoreReport> restored) {}

  /** After a checkpoint of {@code step} was committed. */
  default void onCheckpoint(long step) {}

  /** After an evaluation at {@code step}. */
  default void onEvaluation(long step, Map<String, Double> metrics) {}
}
