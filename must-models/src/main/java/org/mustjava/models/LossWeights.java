package org.mustjava.models;

import org.mustjava.core.config.Configurable;

/**
 * The MuST loss weighting (design.md section 1): a task whose teacher was trained with batch
 * {@code b_i} and learning rate {@code lr_i} gets weight {@code w_i = (b_s lr_i) / (b_i lr_s)} in a
 * student trained with batch {@code b_s} and learning rate {@code lr_s}, so that each task's
 * per-example gradient step matches its own teacher recipe.
 */
public final class LossWeights {
  private LossWeights() {}

  /**
   * {@code (studentBatch * taskLearningRate) / (taskBatch * studentLearningRate)}; in configs e.g.
   * {@code MultiTaskModel.loss_weights = {'detection': @det/MustLossWeight()}}.
   */
  @Configurable("MustLossWeight")
  public static double forTask(int studentBatch, double studentLearningRate, int taskBatch, double taskLearningRate) {
    if (studentBatch <= 0 || taskBatch <= 0 || !(studentLearningRate > 0) || !(taskLearningRate > 0)) {
      throw new IllegalArgumentException("batch sizes and learning rates must be positive, got student ("
          + studentBatch + ", " + studentLearningRate + "), task (" + taskBatch + ", " + taskLearningRate + ")");
    }
    return (studentBatch * taskLearningRate) / (taskBatch * studentLearningRate);
  }
}
