package org.mustjava.experiments.finetune;

import java.util.Collection;
import java.util.Optional;

/** The paper's model selection: of a pre-training's grid cells for one task (and seed), the best by the task's metric. */
public final class BestCell {
  private BestCell() {}

  /**
   * The cell with the best final {@code metric}; NaN values (diverged, or metric missing)
   * never win; ties go to the earlier cell in {@code cells}' order. Empty when no cell has a value.
   */
  public static Optional<CellResult> of(Collection<CellResult> cells, String metric, boolean higherIsBetter) {
    CellResult best = null;
    for (CellResult c : cells) {
      double v = c.value(metric);
      if (Double.isNaN(v)) continue;
      if (best == null || (higherIsBetter ? v > best.value(metric) : v < best.value(metric))) best = c;
    }
    return Optional.ofNullable(best);
  }
}
