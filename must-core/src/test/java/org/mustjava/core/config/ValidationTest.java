package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mustjava.core.config.ConfigAssertions.assertDiagnostic;
import static org.mustjava.core.config.ConfigAssertions.assertLoadError;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Load-time validation against the registry: every error, by exact text, line and column. */
class ValidationTest {
  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("Trainr.steps = 1", 1, 1, "unknown configurable 'Trainr'; did you mean 'Trainer'?"),
        Arguments.of("teacher/Trainr.steps = 1", 1, 9, "unknown configurable 'Trainr'; did you mean 'Trainer'?"),
        Arguments.of("Zebra.stripes = 1", 1, 1, "unknown configurable 'Zebra'"),
        Arguments.of("must.grap.Node.id = 1", 1, 1, "unknown configurable 'must.grap.Node'; did you mean 'must.graph.Node'?"),
        Arguments.of("Trainer.stpes = 1", 1, 9, "unknown parameter 'stpes' of Trainer; did you mean 'steps'?"),
        Arguments.of("Model.colour = 1", 1, 7, "unknown parameter 'colour' of Model (its parameters: depth, width, activation)"),
        Arguments.of("SIZE = 3\nModel.depth = %SIZ", 2, 15, "undefined macro %SIZ; did you mean 'SIZE'?"),
        Arguments.of("A = %B", 1, 5, "undefined macro %B"),
        Arguments.of("Node.id = 1", 1, 1,
            "ambiguous configurable name 'Node': it matches 'must.graph.Node' and 'must.tree.Node'; qualify it with (the end of) its module"),
        Arguments.of("Student.heads = [@Node()]", 1, 19,
            "ambiguous configurable name 'Node': it matches 'must.graph.Node' and 'must.tree.Node'; qualify it with (the end of) its module"),
        Arguments.of("Trainer.steps = 'abc'", 1, 17, "type mismatch: Trainer.steps expects int, got string 'abc'"),
        Arguments.of("Trainer.steps = 1.5", 1, 17, "type mismatch: Trainer.steps expects int, got float 1.5"),
        Arguments.of("Trainer.steps = None", 1, 17, "type mismatch: Trainer.steps expects int, got None"),
        Arguments.of("Trainer.steps = [1]", 1, 17, "type mismatch: Trainer.steps expects int, got list [1]"),
        Arguments.of("Trainer.name = True", 1, 16, "type mismatch: Trainer.name expects string, got bool True"),
        Arguments.of("Kitchen.flag = 1", 1, 16, "type mismatch: Kitchen.flag expects bool, got int 1"),
        Arguments.of("Kitchen.ints = [1, 'two']", 1, 20, "type mismatch: Kitchen.ints[1] expects int, got string 'two'"),
        Arguments.of("Kitchen.ints = {}", 1, 16, "type mismatch: Kitchen.ints expects list of int, got dict {}"),
        Arguments.of("Kitchen.nested = [[1], [2, 'x']]", 1, 28, "type mismatch: Kitchen.nested[1][1] expects int, got string 'x'"),
        Arguments.of("Kitchen.int_array = (1, 2.5)", 1, 25, "type mismatch: Kitchen.int_array[1] expects int, got float 2.5"),
        Arguments.of("Kitchen.weights = {'a': 'x'}", 1, 25, "type mismatch: Kitchen.weights['a'] expects double, got string 'x'"),
        Arguments.of("Kitchen.weights = {1: 2.0}", 1, 20, "type mismatch: Kitchen.weights key 1 expects string, got int 1"),
        Arguments.of("Kitchen.weights = [1]", 1, 19, "type mismatch: Kitchen.weights expects dict of string to double, got list [1]"),
        Arguments.of("Kitchen.b = 300", 1, 13, "type mismatch: Kitchen.b expects byte, got int 300 (int 300 is out of range for byte)"),
        Arguments.of("Kitchen.i = 3000000000", 1, 13, "type mismatch: Kitchen.i expects int, got int 3000000000 (int 3000000000 is out of range for int)"),
        Arguments.of("Kitchen.f = 1e300", 1, 13, "type mismatch: Kitchen.f expects float, got float 1.0e300 (float 1.0e300 is out of range for float)"),
        Arguments.of("Kitchen.maybe = 'x'", 1, 17, "type mismatch: Kitchen.maybe expects int, got string 'x'"),
        Arguments.of("Model.activation = 'SWISSH'", 1, 20,
            "type mismatch: Model.activation expects Activation (enum), got string 'SWISSH' ('SWISSH' is not a constant of Activation; did you mean 'SWISH'?)"),
        Arguments.of("Model.activation = 'TANH'", 1, 20,
            "type mismatch: Model.activation expects Activation (enum), got string 'TANH' ('TANH' is not a constant of Activation (constants: RELU, SWISH))"),
        Arguments.of("Trainer.optimizer = @Model()", 1, 21, "type mismatch: Trainer.optimizer expects Optimizer, but @Model() returns Model"),
        Arguments.of("Trainer.optimizer = @Momentum", 1, 21,
            "type mismatch: Trainer.optimizer expects Optimizer, got the reference @Momentum (the configurable itself); write @Momentum() to call it"),
        Arguments.of("Holder.optimizer = @Momentum()", 1, 20,
            "type mismatch: Holder.optimizer expects reference to a configurable returning Optimizer, but @Momentum() returns Momentum;"
                + " write @Momentum (without parentheses) to pass the configurable itself"),
        Arguments.of("Holder.optimizer = @Model", 1, 20,
            "type mismatch: Holder.optimizer expects reference to a configurable returning Optimizer, but @Model returns Model"),
        Arguments.of("Student.heads = [@TaskHead(), @Model()]", 1, 31, "type mismatch: Student.heads[1] expects TaskHead, but @Model() returns Model"),
        Arguments.of("Student.by_name = {'cls': @Model()}", 1, 27, "type mismatch: Student.by_name['cls'] expects TaskHead, but @Model() returns Model"),
        Arguments.of("Trainer.optimizer = @Momentom()", 1, 22, "unknown configurable 'Momentom'; did you mean 'Momentum'?"),
        Arguments.of("Picky.graph = 1", 1, 7,
            "parameter 'graph' of Picky cannot be bound in configs: it is denylisted (the Java caller passes it)"),
        Arguments.of("A = %B\nB = [%A]\nModel.depth = 1", 1, 1, "macro cycle: %A -> %B -> %A"),
        Arguments.of("NAME = 5\nTrainer.name = %NAME", 2, 16, "type mismatch: Trainer.name expects string, got int 5 (via %NAME)"),
        Arguments.of("X = [1, 'a']\nY = %X\nKitchen.ints = %Y", 3, 16, "type mismatch: Kitchen.ints[1] expects int, got string 'a' (via %Y)"),
        Arguments.of("teacher/Trainer.steps = 'x'", 1, 25, "type mismatch: teacher/Trainer.steps expects int, got string 'x'"));
  }

  @ParameterizedTest(name = "{3}")
  @MethodSource("errors")
  void reportsEachErrorAtItsPosition(String text, int line, int column, String message) {
    assertLoadError(text, line, column, message);
  }

  @Test
  void acceptsModuleQualifiedNamesForAmbiguousConfigurables() {
    Config config = Fixtures.load("graph.Node.id = 3\nmust.tree.Node.id = 4\n");
    Injector injector = new Injector(config);
    assertEquals("graph3", injector.call("graph.Node", "", java.util.Map.of()));
    assertEquals("tree4", injector.call("must.tree.Node", "", java.util.Map.of()));
  }

  @Test
  void collectsEveryErrorOfAFileInOrder() {
    ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.load(String.join("\n",
        "Trainr.steps = 1",
        "Model.depth = 'deep'",
        "Model.widht = 2.0",
        "Trainer.steps = %STEPS")));
    assertEquals(4, e.diagnostics().size(), e::getMessage);
    assertDiagnostic(e.diagnostics().get(0), "test.conf", 1, 1, "unknown configurable 'Trainr'; did you mean 'Trainer'?");
    assertDiagnostic(e.diagnostics().get(1), "test.conf", 3, 7, "unknown parameter 'widht' of Model; did you mean 'width'?");
    assertDiagnostic(e.diagnostics().get(2), "test.conf", 4, 17, "undefined macro %STEPS");
    assertDiagnostic(e.diagnostics().get(3), "test.conf", 2, 15, "type mismatch: Model.depth expects int, got string 'deep'");
  }

  @Test
  void reportsCommandLineBindingsAsNumberedSources() {
    ConfigLoader loader = new ConfigLoader(Fixtures.registry())
        .parseString("test.conf", "Trainer.steps = 1\n")
        .parseBinding("Model.depth = 50")
        .parseBinding("Trainer.steps = 'ten'");
    ConfigException e = assertThrows(ConfigException.class, loader::build);
    assertOnlyError(e, "<binding 2>", 1, 17, "type mismatch: Trainer.steps expects int, got string 'ten'");
    assertEquals(String.join("\n",
        "<binding 2>:1:17: error: type mismatch: Trainer.steps expects int, got string 'ten'",
        "Trainer.steps = 'ten'",
        "                ^"), e.getMessage());
  }

  @Test
  void reportsCommandLineSyntaxErrorsWithTheirColumn() {
    ConfigLoader loader = new ConfigLoader(Fixtures.registry());
    ConfigException e = assertThrows(ConfigException.class, () -> loader.parseBinding("Trainer.steps 10"));
    assertOnlyError(e, "<binding 1>", 1, 15, "expected '=' after 'Trainer.steps', found number 10 (write 'Trainer.steps = value')");
  }

  @Test
  void formatsTheOffendingLineWithACaretUnderTheName() {
    ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.load("# header\nteacher/Trainr.steps = 1\n"));
    assertEquals(String.join("\n",
        "test.conf:2:9: error: unknown configurable 'Trainr'; did you mean 'Trainer'?",
        "teacher/Trainr.steps = 1",
        "        ^"), e.getMessage());
  }

  @Test
  void notesIgnoredImportLines() {
    Config config = Fixtures.load("import must.models\nModel.depth = 1\n");
    assertEquals(1, config.notes().size());
    assertEquals("test.conf:1:1: note: 'import must.models' ignored: Java configurables are registered by ConfigurableModules, not imported\n"
        + "import must.models\n^", config.notes().get(0).format());
  }
}
