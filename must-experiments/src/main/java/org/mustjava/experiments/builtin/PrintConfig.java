package org.mustjava.experiments.builtin;

import java.util.List;
import java.util.Map;
import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.experiments.Experiment;
import org.mustjava.experiments.ExperimentDescription;
import org.mustjava.experiments.RunContext;

/**
 * The smallest experiment: trains nothing, echoes the values it was configured with. It exercises
 * the config language and the launcher end to end ({@code experiments/mini/hello.conf}).
 */
@Configurable("PrintConfig")
@ExperimentDescription("echoes its configured values; a smoke test of the config language and the launcher")
public final class PrintConfig implements Experiment {
  private final String message;
  private final int repeat;
  private final List<Object> items;
  private final Map<String, Object> values;

  /**
   * @param message printed {@code repeat} times
   * @param items printed one per line
   * @param values printed as {@code key = value} lines, in config order
   */
  public PrintConfig(@Default("'hello'") String message, @Default("1") int repeat,
      @Default("[]") List<Object> items, @Default("{}") Map<String, Object> values) {
    if (repeat < 0) {
      throw new IllegalArgumentException("repeat must be >= 0, got " + repeat);
    }
    this.message = message;
    this.repeat = repeat;
    this.items = items;
    this.values = values;
  }

  @Override
  public void run(RunContext context) {
    for (int i = 0; i < repeat; i++) {
      context.out().println(message);
    }
    for (Object item : items) {
      context.out().println("- " + item);
    }
    values.forEach((k, v) -> context.out().println(k + " = " + v));
  }
}
