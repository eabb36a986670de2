package org.mustjava.experiments.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.mustjava.experiments.Main;

/** Runs the launcher in-process, as {@code tools/run-experiment} would, for experiment tests. */
public final class Launches {
  private Launches() {}

  /** Runs {@code Main} with {@code args}, asserts exit status 0, returns stdout followed by stderr. */
  public static String succeed(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, text);
    return text;
  }
}
