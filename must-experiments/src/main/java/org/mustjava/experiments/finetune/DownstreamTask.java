package org.mustjava.experiments.finetune;

import java.util.List;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.ConfigurableReference;
import org.mustjava.core.config.Default;
import org.mustjava.core.train.LearningRateSchedule;
import org.mustjava.core.train.Task;
import org.mustjava.core.train.Trainer;

/**
 * One column of a results table: a downstream task (data, heads, metric) with its fine-tuning
 * recipe and its grid of learning rates x training steps (the paper's supplementary material).
 *
 * <p>The task, trainer and schedule are references, called anew for every grid cell with the
 * cell's values: the schedule with {@code rate = <lr>}, the trainer with {@code steps},
 * {@code learning_rate} (that schedule), {@code init_from} (the pre-training's partial restore) and
 * {@code seed} (when the grid has seeds). Everything else comes from the config, usually in the
 * task's scope:
 *
 * <pre>
 * FineTuneGrid.tasks = [@cifar100/DownstreamTask(), ...]
 * cifar100/DownstreamTask.name = 'cifar100'
 * cifar100/DownstreamTask.metric = 'classification/top1'
 * cifar100/DownstreamTask.learning_rates = [0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32]
 * cifar100/DownstreamTask.steps = [5000, 10000, 20000]
 * cifar100/ClassificationHead.num_classes = 101            # the task's model, data, recipe ...
 * </pre>
 *
 * <p>The references default to {@code @MultiTaskTrainingTask}, {@code @Trainer} and
 * {@code @CosineDecay}; written in the task's scope they are called in it (here
 * {@code cifar100/...}), so each task's model, data and recipe are bound in its own scope.
 */
public final class DownstreamTask {
  private final String name;
  private final ConfigurableReference<Task> task;
  private final ConfigurableReference<Trainer> trainer;
  private final ConfigurableReference<LearningRateSchedule> schedule;
  private final String metric;
  private final boolean higherIsBetter;
  private final List<Double> learningRates;
  private final List<Long> steps;

  /**
   * @param name the column's name and the directory {@code finetune/<pretraining>/<name>/}
   * @param task the task (its model's heads are new)
   * @param trainer the recipe (weight decay 1e-4, eval at the last step)
   * @param schedule the learning-rate schedule; must have a {@code rate} parameter
   * @param metric the eval result that picks the best cell and fills the table, e.g.
   *     {@code segmentation/miou}
   * @param higherIsBetter False for errors (e.g. {@code depth/rmse})
   * @param learningRates the grid's peak learning rates
   * @param steps the grid's training lengths
   */
  @Configurable("DownstreamTask")
  public DownstreamTask(
      String name,
      @Default("@MultiTaskTrainingTask") ConfigurableReference<Task> task,
      @Default("@Trainer") ConfigurableReference<Trainer> trainer,
      @Default("@CosineDecay") ConfigurableReference<LearningRateSchedule> schedule,
      String metric,
      @Default("True") boolean higherIsBetter,
      List<Double> learningRates,
      List<Long> steps) {
    GridCell.requireDirectoryName("DownstreamTask.name", name);
    if (metric.isBlank()) throw new IllegalArgumentException("DownstreamTask '" + name + "': metric is empty");
    if (learningRates.isEmpty() || steps.isEmpty()) {
      throw new IllegalArgumentException("DownstreamTask '" + name + "': learning_rates and steps must not be empty");
    }
    for (double lr : learningRates) {
      if (!(lr >= 0) || Double.isInfinite(lr)) {
        throw new IllegalArgumentException("DownstreamTask '" + name + "': learning rate " + lr + " is not >= 0");
      }
    }
    for (long s : steps) {
      if (s <= 0) throw new IllegalArgumentException("DownstreamTask '" + name + "': steps " + s + " is not positive");
    }
    if (schedule.configurable().parameter("rate") == null) {
      throw new IllegalArgumentException("DownstreamTask '" + name + "': schedule " + schedule
          + " has no 'rate' parameter for the grid's learning rate");
    }
    this.name = name;
    this.task = task;
    this.trainer = trainer;
    this.schedule = schedule;
    this.metric = metric;
    this.higherIsBetter = higherIsBetter;
    this.learningRates = List.copyOf(learningRates);
    this.steps = List.copyOf(steps);
  }

  public String name() {
    return name;
  }

  public ConfigurableReference<Task> task() {
    return task;
  }

  public ConfigurableReference<Trainer> trainer() {
    return trainer;
  }

  public ConfigurableReference<LearningRateSchedule> schedule() {
    return schedule;
  }

  public String metric() {
    return metric;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  public List<Double> learningRates() {
    return learningRates;
  }

  public List<Long> steps() {
    return steps;
  }
}
