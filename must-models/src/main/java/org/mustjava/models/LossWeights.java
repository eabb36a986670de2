package org.mustjava.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;

/**
 * The MuST loss weighting (design.md section 1): a task whose teacher was trained with batch
 * {@code b_i} and learning rate {@code lr_i} gets weight {@code w_i = (b_s lr_i) / (b_i lr_s)} in a
 * student trained with batch {@code b_s} and learning rate {@code lr_s}, so that each task's
 * per-example gradient step matches its own teacher recipe.
 *
 * <p>In configs, {@code MultiTaskModel.loss_weights = @MustLossWeights()} computes the whole map
 * from the teacher recipes (one macro per recipe value in {@code experiments/common/recipes.conf},
 * which the teacher stages read too); the operative config prints the computed map as a {@code #
 * Returns:} comment of the {@code MustLossWeights} block. Its bindings are unscoped, so the same
 * weights apply to a student built in any scope.
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

  /**
   * The weight of every task in {@code tasks}: {@code fixed} when it names the task (an override,
   * and how depth gets its own weight), else {@link #forTask} from the task's teacher recipe.
   *
   * @param tasks the student's heads, in order
   * @param teacherBatches batch size of each task's teacher recipe
   * @param teacherLearningRates learning rate of each task's teacher recipe
   * @param fixed weights given as numbers (they win over the rule)
   */
  @Configurable("MustLossWeights")
  public static Map<String, Double> forTasks(
      List<String> tasks,
      int studentBatch,
      double studentLearningRate,
      @Default("{}") Map<String, Integer> teacherBatches,
      @Default("{}") Map<String, Double> teacherLearningRates,
      @Default("{}") Map<String, Double> fixed) {
    for (String k : fixed.keySet()) {
      if (!tasks.contains(k)) {
        throw new IllegalArgumentException("MustLossWeights.fixed names '" + k + "', not one of the tasks " + tasks);
      }
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    for (String task : tasks) {
      if (fixed.containsKey(task)) {
        weights.put(task, fixed.get(task));
        continue;
      }
      Integer batch = teacherBatches.get(task);
      Double rate = teacherLearningRates.get(task);
      if (batch == null || rate == null) {
        throw new IllegalArgumentException("MustLossWeights: task '" + task + "' needs its teacher's recipe in"
            + " teacher_batches and teacher_learning_rates, or a weight in fixed; teacher_batches has "
            + teacherBatches.keySet() + ", teacher_learning_rates " + teacherLearningRates.keySet());
      }
      weights.put(task, forTask(studentBatch, studentLearningRate, batch, rate));
    }
    return weights;
  }
}
