package org.mustjava.core.train;

/** What a graph is built for: training (batch statistics, augmentation), evaluation, or serving. */
public enum Mode {
  TRAIN,
  EVAL,
  PREDICT;

  /** Whether layers behave as in training (BatchNorm batch statistics, dropout). */
  public boolean isTraining() {
    return this == TRAIN;
  }
}
