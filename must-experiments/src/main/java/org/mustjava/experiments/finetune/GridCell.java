package org.mustjava.experiments.finetune;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One fine-tuning run of a grid: a pre-training, a downstream task, a learning rate, a number of
 * steps and, when the grid repeats over seeds, a seed. Its directory (design.md section 5) is
 * {@code <grid>/<pretraining>/<task>/<lr>_<steps>[_seed<k>]}, e.g. {@code finetune/must/cifar100/0.04_10000}.
 */
public record GridCell(String pretraining, String task, double learningRate, long steps, Optional<Long> seed) {
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");

  /** The cell's directory name: {@code 0.04_10000} or {@code 0.04_10000_seed2}. */
  public String directoryName() {
    return formatRate(learningRate) + "_" + steps + seed.map(s -> "_seed" + s).orElse("");
  }

  /** Relative to the grid's directory. */
  public Path relativeDirectory() {
    return Path.of(pretraining, task, directoryName());
  }

  /** The learning rate as written in directory names and tables: shortest plain decimal ({@code 0.005}). */
  public static String formatRate(double rate) {
    return BigDecimal.valueOf(rate).stripTrailingZeros().toPlainString();
  }

  /** "lr 0.04, 10000 steps" (and the seed when there is one), for tables and logs. */
  public String describe() {
    return "lr " + formatRate(learningRate) + ", " + steps + " steps" + seed.map(s -> ", seed " + s).orElse("");
  }

  /** Names that become directories must be one plain path element. */
  static void requireDirectoryName(String what, String name) {
    if (name == null || !SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be a plain directory name (letters, digits, . _ + -): '"
          + name + "'");
    }
  }
}
