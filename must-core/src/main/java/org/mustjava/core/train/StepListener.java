package org.mustjava.core.train;

import java.util.Map;

/** Observes a training run (tests, reports); called on the training thread. */
public interface StepListener {
  /** After every step; {@code losses} holds task losses, {@code weight_decay} and {@code total}. */
  default void onStep(long step, Map<String, Double> losses, double learningRate) {}

  /** After a checkpoint of {@code step} was committed. */
  default void onCheckpoint(long step) {}

  /** After an evaluation at {@code step}. */
  default void onEvaluation(long step, Map<String, Double> metrics) {}
}
