package org.mustjava.core.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.converters.IParameterSplitter;
import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The command-line conventions every tool shares (those of {@code tools/run-experiment}): flags are
 * fields of a JCommander flags object (annotate its class {@code @Parameters(separators = "=")} so
 * that {@code --flag=value} works as well as {@code --flag value}), and
 *
 * <ul>
 *   <li>{@code --help} / {@code -h} prints the tool's description, JCommander's flag list and the
 *       exit statuses on stdout: status {@link #OK};
 *   <li>a bad command line prints {@code error: MESSAGE} and {@code Run TOOL --help for the flags.}
 *       on stderr, nothing on stdout: status {@link #USAGE_ERROR};
 *   <li>a failure while running: status {@link #FAILURE}.
 * </ul>
 *
 * {@code @} starts config references here, so JCommander's {@code @file} argument expansion is off.
 */
public final class CommandLine {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE_ERROR = 2;

  /** Keeps a repeatable flag's value whole: bindings and paths may contain commas. */
  public static final class WholeValue implements IParameterSplitter {
    @Override
    public List<String> split(String value) {
      return List.of(value);
    }
  }

  /** The {@code --help} flag every tool has. */
  private static final class HelpFlag {
    @Parameter(names = {"--help", "-h"}, help = true, description = "Print this help and exit.")
    boolean help;
  }

  private final String program;
  private final String description;
  private final String exitStatuses;
  private final HelpFlag help = new HelpFlag();
  private final JCommander commander;

  /**
   * @param program the command as the user types it, e.g. {@code tools/tfrecord}
   * @param description what the tool does, one or a few sentences (the first lines of {@code --help})
   * @param exitStatuses what 1 and 2 mean for this tool, e.g. {@code 0 success, 1 ..., 2 usage error}
   * @param flags the JCommander flags objects, filled by {@link #parse}
   */
  public CommandLine(String program, String description, String exitStatuses, Object... flags) {
    this.program = program;
    this.description = description;
    this.exitStatuses = exitStatuses;
    JCommander.Builder builder = JCommander.newBuilder().programName(program).expandAtSign(false).addObject(help);
    for (Object f : flags) builder.addObject(f);
    this.commander = builder.build();
  }

  /**
   * Parses {@code args} into the flags objects. Empty when the tool should go on; otherwise the
   * status to exit with, after printing the help ({@link #OK}) or the error ({@link #USAGE_ERROR}).
   */
  public OptionalInt parse(String[] args, PrintStream out, PrintStream err) {
    try {
      commander.parse(args);
    } catch (ParameterException e) {
      return OptionalInt.of(usageError(plain(e.getMessage()), err));
    }
    if (help.help) {
      out.print(usage());
      return OptionalInt.of(OK);
    }
    return OptionalInt.empty();
  }

  /** Reports a bad command line found after parsing (a missing or invalid value); returns {@link #USAGE_ERROR}. */
  public int usageError(String message, PrintStream err) {
    err.println("error: " + message);
    err.println("Run " + program + " --help for the flags.");
    return USAGE_ERROR;
  }

  /** JCommander's message for an argument no flag takes, said plainly. */
  private static String plain(String message) {
    Matcher m = UNEXPECTED.matcher(message);
    if (!m.matches()) return message;
    String arg = m.group(1);
    return arg.startsWith("-") ? "unknown option " + arg : "unexpected argument '" + arg + "'";
  }

  private static final Pattern UNEXPECTED =
      Pattern.compile("Was passed main parameter '(.*)' but no main parameter was defined.*", Pattern.DOTALL);

  /** The {@code --help} text. */
  public String usage() {
    StringBuilder flags = new StringBuilder();
    commander.getUsageFormatter().usage(flags);
    return description + "\n\n" + flags + "\nExit status: " + exitStatuses + ".\n";
  }
}
