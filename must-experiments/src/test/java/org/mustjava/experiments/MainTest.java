package org.mustjava.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mustjava.experiments.paper.PaperExperiments;
import org.junit.jupiter.api.io.TempDir;

/** The launcher run in-process: exit codes, stdout and stderr. */
class MainTest {
  /** The real example config, from the module directory Maven runs tests in. */
  private static final String HELLO = Path.of("..", "experiments", "mini", "hello.conf").toString();

  @TempDir Path dir;

  /** Exit code and captured streams of one launcher run. */
  record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8); PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, o, e);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static final String HELLO_OPERATIVE = String.join("\n",
      "# Operative configuration: every configurable this run used, with every parameter value",
      "# it used (bindings and defaults). Feed this file back to reproduce the configuration.",
      "",
      "# Parameters for Launcher:",
      "# " + "=".repeat(78),
      "Launcher.experiment = @hello/PrintConfig()",
      "",
      "# Parameters for hello/PrintConfig:",
      "# " + "=".repeat(78),
      "hello/PrintConfig.items = [64, 'resnet', (0.005, 0.01)]",
      "hello/PrintConfig.message = 'hello from must-java'",
      "hello/PrintConfig.repeat = 1",
      "hello/PrintConfig.values = {'image_size': 64, 'learning_rates': (0.005, 0.01, 0.02), 'weight_decay': 1.0e-4, 'pretrained': None}",
      "");

  @Test
  void helpDocumentsEveryFlag() {
    Result r = run("--help");
    assertEquals(0, r.code());
    assertEquals("", r.err());
    for (String flag : List.of("--list", "--experiment", "--mini", "--config", "--binding", "--model_dir", "--dry_run", "--build_graphs",
        "--search_path", "--verbose", "--help")) {
      assertTrue(r.out().contains(flag), () -> flag + " missing from\n" + r.out());
    }
    assertTrue(r.out().contains("Exit status: 0 success, 1 failure while running, 2 configuration error."), r.out());
  }

  @Test
  void listPrintsEachExperimentWithItsDescription() {
    Result r = run("--list");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    List<String> lines = new java.util.ArrayList<>(List.of(
        line("FailingExperiment", "always fails while running (launcher tests)"),
        line("LazyExperiment", "creates a configurable while running (launcher tests)"),
        line("PrintConfig", "echoes its configured values; a smoke test of the config language and the launcher"),
        line("Stages", "runs a list of stages (data, training, evaluation) in order; e.g. experiments/mini/smoke.conf"),
        "",
        "Paper experiments (--experiment NAME runs experiments/NAME.conf; add --mini for experiments/mini/NAME.conf):"));
    for (PaperExperiments.Entry e : PaperExperiments.ALL) lines.add(line(e.name(), e.description()));
    lines.add("");
    assertEquals(String.join("\n", lines), r.out());
    assertTrue(r.out().contains("\ntable1_imagenet           supervised, SimCLR, single-task self-training and MuST"), r.out());
  }

  /** A --list line: names padded to the longest, table5_strong_checkpoint. */
  private static String line(String name, String description) {
    return String.format("%-24s  %s", name, description);
  }

  @Test
  void experimentRunsAPaperExperimentsConfigByName() {
    Result mini = run("--experiment", "table3_teachers", "--mini", "--dry_run");
    assertEquals(0, mini.code(), mini.err());
    assertTrue(mini.out().contains("FineTuneGrid.name = 'table3/finetune'"), mini.out());

    Result unknown = run("--experiment", "table9", "--dry_run");
    assertEquals(2, unknown.code());
    assertTrue(unknown.err().startsWith("error: --experiment: no paper experiment 'table9'; known: table1_imagenet, "), unknown.err());
    Result miniAlone = run("--mini", "--dry_run");
    assertEquals(2, miniAlone.code());
    assertEquals("error: --mini needs --experiment NAME\n", miniAlone.err());
    for (PaperExperiments.Entry e : PaperExperiments.ALL) {
      assertTrue(Files.isRegularFile(e.config(Path.of("..", "experiments"), true)), e.name() + " has a mini config");
      assertTrue(Files.isRegularFile(e.config(Path.of("..", "experiments"), false)), e.name() + " has a paper-scale config");
    }
  }

  @Test
  void dryRunPrintsTheOperativeConfigOfTheRealExampleAndTrainsNothing() {
    Result r = run("--config", HELLO, "--dry_run");
    assertEquals(0, r.code(), r.err());
    assertEquals(HELLO_OPERATIVE, r.out());
    assertEquals("", r.err());
  }

  @Test
  void bindingsOverrideFilesAndMayContainCommas() {
    Result r = run("--config", HELLO, "--dry_run", "--binding", "GREETING = 'hi'",
        "--binding", "hello/PrintConfig.items = [1, 2,\n 3]", "--binding", "PrintConfig.repeat = 2");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\nhello/PrintConfig.message = 'hi'\n"), r.out());
    assertTrue(r.out().contains("\nhello/PrintConfig.items = [1, 2, 3]\n"), r.out());
    assertTrue(r.out().contains("\nhello/PrintConfig.repeat = 2\n"), r.out()); // root binding inherited by the scope
  }

  @Test
  void runWritesTheOperativeConfigAtomicallyAndRunsTheExperiment() throws IOException {
    Path modelDir = dir.resolve("run");
    Result r = run("--config", HELLO, "--model_dir", modelDir.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(String.join("\n",
        "hello from must-java",
        "- 64",
        "- resnet",
        "- [0.005, 0.01]",
        "image_size = 64",
        "learning_rates = [0.005, 0.01, 0.02]",
        "weight_decay = 1.0E-4",
        "pretrained = null",
        ""), r.out());
    assertEquals("", r.err());
    assertEquals(HELLO_OPERATIVE, Files.readString(modelDir.resolve("operative_config.conf")));
    try (Stream<Path> files = Files.list(modelDir)) {
      assertEquals(List.of("operative_config.conf"), files.map(p -> p.getFileName().toString()).toList()); // no temp files left
    }
    // Feeding the operative config back reproduces it.
    Result again = run("--config", modelDir.resolve("operative_config.conf").toString(), "--dry_run");
    assertEquals(0, again.code(), again.err());
    assertEquals(HELLO_OPERATIVE, again.out());
  }

  @Test
  void configErrorExitsWithStatus2AndPrintsNothingOnStdout() {
    Result r = run("--config", HELLO, "--dry_run", "--binding", "hello/PrintConfig.repeat = 'x'");
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertEquals(String.join("\n",
        "<binding 1>:1:28: error: type mismatch: hello/PrintConfig.repeat expects int, got string 'x'",
        "hello/PrintConfig.repeat = 'x'",
        "                           ^",
        ""), r.err());
  }

  @Test
  void configErrorsInFilesNameTheFileLineAndColumn() throws IOException {
    Path conf = write("typo.conf", "Launcher.experiment = @PrintConfig()\nPrintConfg.repeat = 3\n");
    Result r = run("--config", conf.toString(), "--model_dir", dir.resolve("m").toString());
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertEquals(conf + ":2:1: error: unknown configurable 'PrintConfg'; did you mean 'PrintConfig'?\nPrintConfg.repeat = 3\n^\n", r.err());
    assertTrue(Files.notExists(dir.resolve("m")), "nothing is written for a config that does not load");
  }

  @Test
  void valuesAConstructorRejectsAreConfigErrors() {
    Result r = run("--config", HELLO, "--dry_run", "--binding", "PrintConfig.repeat = -1");
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith(HELLO + ":10:23: error: hello/PrintConfig rejected its configuration: repeat must be >= 0, got -1\n"), r.err());
  }

  @Test
  void usageErrorsExitWith2() throws IOException {
    Result unknownFlag = run("--confg", HELLO);
    assertEquals(2, unknownFlag.code());
    assertEquals("", unknownFlag.out());
    assertTrue(unknownFlag.err().equals("error: unknown option --confg\nRun tools/run-experiment --help for the flags.\n"), unknownFlag.err());

    Result missingFile = run("--config", dir.resolve("nope.conf").toString(), "--dry_run");
    assertEquals(2, missingFile.code());
    assertEquals("error: cannot read config file '" + dir.resolve("nope.conf") + "': no such file\n", missingFile.err());

    Result noModelDir = run("--config", HELLO);
    assertEquals(2, noModelDir.code());
    assertEquals("error: --model_dir DIR is required to run (or use --dry_run)\n", noModelDir.err());

    Result nothing = run();
    assertEquals(2, nothing.code());
    assertEquals("error: nothing to run: give --config FILE or --experiment NAME (or --list, --help)\n", nothing.err());

    Result noExperiment = run("--config", write("empty.conf", "# nothing\n").toString(), "--dry_run");
    assertEquals(2, noExperiment.code());
    assertEquals("", noExperiment.out());
    assertEquals("error: the config does not say which experiment to run: bind Launcher.experiment,"
        + " e.g. 'Launcher.experiment = @PrintConfig()' (--list shows the experiments)\n", noExperiment.err());
  }

  @Test
  void runtimeFailureExitsWith1AfterWritingTheOperativeConfig() {
    Path modelDir = dir.resolve("fail");
    Result r = run("--binding", "Launcher.experiment = @FailingExperiment()", "--model_dir", modelDir.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().startsWith("error: the run failed: java.lang.IllegalStateException: boom\n(--verbose prints the stack trace)\n"), r.err());
    assertEquals(1, r.err().split("boom", -1).length - 1, "the error is printed once: " + r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace unless asked for: " + r.err());
    assertTrue(Files.exists(modelDir.resolve("operative_config.conf")));
    Result verbose = run("--binding", "Launcher.experiment = @FailingExperiment()", "--model_dir", modelDir.toString(), "--verbose");
    assertEquals(1, verbose.code());
    assertTrue(verbose.err().contains("\tat org.mustjava.experiments."), verbose.err());
  }

  @Test
  void configurablesCreatedWhileRunningExtendTheOperativeConfigAndUnusedBindingsAreWarned() throws IOException {
    Path conf = write("lazy.conf", String.join("\n",
        "Launcher.experiment = @LazyExperiment()",
        "late/PrintConfig.message = 'late'",
        "PrintConfig.repeat = 2",
        "early/PrintConfig.message = 'never used'",
        ""));
    Path modelDir = dir.resolve("lazy");
    Result r = run("--config", conf.toString(), "--model_dir", modelDir.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("late\nlate\n", r.out());
    assertEquals(conf + ":4:1: warning: binding early/PrintConfig.message was never used\nearly/PrintConfig.message = 'never used'\n^\n", r.err());
    String operative = Files.readString(modelDir.resolve("operative_config.conf"));
    assertTrue(operative.contains("\nlate/PrintConfig.message = 'late'\nlate/PrintConfig.repeat = 2\n"), operative);
  }

  @Test
  void configErrorsRaisedWhileRunningExitWith2() throws IOException {
    Path conf = write("lazy.conf", "Launcher.experiment = @LazyExperiment()\nlate/PrintConfig.message = %REQUIRED\n");
    Result r = run("--config", conf.toString(), "--model_dir", dir.resolve("x").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().startsWith(conf + ":2:1: error: late/PrintConfig.message is required but was never set"), r.err());
  }

  @Test
  void importLinesAreNotedOnStderr() throws IOException {
    Path conf = write("gin.conf", "import must.experiments\nLauncher.experiment = @PrintConfig()\n");
    Result r = run("--config", conf.toString(), "--dry_run");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().startsWith(conf + ":1:1: note: 'import must.experiments' ignored"), r.err());
  }

  @Test
  void searchPathsResolveIncludes() throws IOException {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Files.writeString(lib.resolve("common.conf"), "PrintConfig.repeat = 5\n");
    Path conf = write("main.conf", "include 'common.conf'\nLauncher.experiment = @PrintConfig()\n");
    List<String> args = new ArrayList<>(List.of("--config", conf.toString(), "--dry_run", "--search_path", lib.toString()));
    Result r = run(args.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\nPrintConfig.repeat = 5\n"), r.out());
  }
}
