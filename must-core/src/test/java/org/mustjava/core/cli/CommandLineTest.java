package org.mustjava.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  @Parameters(separators = "=")
  static final class Flags {
    @Parameter(names = "--steps", description = "Steps to run.")
    int steps = 3;

    @Parameter(names = "--binding", description = "A binding; repeatable.", splitter = CommandLine.WholeValue.class)
    List<String> bindings = new ArrayList<>();
  }

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private OptionalInt parse(Flags flags, String... args) {
    CommandLine commandLine = new CommandLine("tools/demo", "Demonstrates the conventions.", "0 ok, 1 failed, 2 usage error", flags);
    return commandLine.parse(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void bothFlagSyntaxesAndWholeValues() {
    Flags flags = new Flags();
    assertFalse(parse(flags, "--steps=7", "--binding", "A.b = [1, 2]", "--binding=C.d = 'x'").isPresent(), err.toString());
    assertEquals(7, flags.steps);
    assertEquals(List.of("A.b = [1, 2]", "C.d = 'x'"), flags.bindings);
    assertEquals("", out.toString() + err);
  }

  @Test
  void helpPrintsDescriptionFlagsAndExitStatusesOnStdout() {
    assertEquals(OptionalInt.of(CommandLine.OK), parse(new Flags(), "--help"));
    String help = out.toString(StandardCharsets.UTF_8);
    assertTrue(help.startsWith("Demonstrates the conventions.\n\nUsage: tools/demo [options]\n"), help);
    assertTrue(help.contains("--steps") && help.contains("--binding") && help.contains("--help, -h"), help);
    assertTrue(help.endsWith("\nExit status: 0 ok, 1 failed, 2 usage error.\n"), help);
    assertEquals("", err.toString());
  }

  @Test
  void badCommandLinesExitWith2AndSaySo() {
    assertEquals(OptionalInt.of(CommandLine.USAGE_ERROR), parse(new Flags(), "--stepz", "3"));
    assertEquals("error: unknown option --stepz\nRun tools/demo --help for the flags.\n", err.toString(StandardCharsets.UTF_8));
    err.reset();
    assertEquals(OptionalInt.of(CommandLine.USAGE_ERROR), parse(new Flags(), "--steps", "many"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: \"--steps\": couldn't convert \"many\" to an integer"), err.toString());
    err.reset();
    assertEquals(OptionalInt.of(CommandLine.USAGE_ERROR), parse(new Flags(), "stray"));
    assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: unexpected argument 'stray'\n"), err.toString());
    assertEquals("", out.toString());
  }
}
