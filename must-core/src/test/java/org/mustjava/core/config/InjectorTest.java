package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mustjava.core.config.ConfigAssertions.assertDiagnostic;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Model;
import org.mustjava.core.config.Fixtures.Picky;
import org.mustjava.core.config.Fixtures.Pipeline;
import org.mustjava.core.config.Fixtures.Trainer;

/** Where values come from (caller, binding, default), missing and required values, unused bindings. */
class InjectorTest {
  private static Injector injector(String text) {
    return new Injector(Fixtures.load(text));
  }

  @Test
  void callerValuesWinOverBindingsWhichWinOverDefaults() {
    Injector injector = injector("Trainer.steps = 10\nTrainer.learning_rate = 0.5\n");
    Trainer fromConfig = injector.create(Trainer.class);
    assertEquals(new Trainer(10, 0.5, null, "trainer"), fromConfig); // name from @Default, optimizer @Default None
    Trainer fromCaller = injector.create(Trainer.class, "", Map.of("steps", 3, "name", "explicit"));
    assertEquals(new Trainer(3, 0.5, null, "explicit"), fromCaller);
  }

  @Test
  void laterBindingsOverrideEarlierOnesAndCommandLineBindingsComeLast() {
    Config config = new ConfigLoader(Fixtures.registry())
        .parseString("a.conf", "Trainer.steps = 1\nTrainer.steps = 2\n")
        .parseBinding("Trainer.steps = 3")
        .build();
    assertEquals(3, new Injector(config).create(Trainer.class).steps());
  }

  @Test
  void missingValueNamesTheParameterAndHowToBindIt() {
    Injector injector = injector("Model.width = 2.0\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Model.class, "teacher"));
    assertEquals("error: no value for teacher/Model.depth: bind it ('teacher/Model.depth = ...') or give the parameter a @Default", e.getMessage());
  }

  @Test
  void missingValueOfAReferencedConfigurableIsReportedAtTheReference() {
    Injector injector = injector("Trainer.steps = 1\nTrainer.optimizer = @Adam()\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Trainer.class));
    assertOnlyError(e, "test.conf", 2, 21, "no value for Adam.learning_rate: bind it ('Adam.learning_rate = ...') or give the parameter a @Default");
  }

  @Test
  void requiredValueFailsNamingTheBindingItCameFrom() {
    Injector injector = injector("Pipeline.data_dir = %REQUIRED\nPipeline.image_size = 64\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Pipeline.class));
    assertOnlyError(e, "test.conf", 1, 1, "Pipeline.data_dir is required but was never set: it is bound to %REQUIRED at test.conf:1:21;"
        + " bind it in a config or with --binding 'Pipeline.data_dir = ...'");
  }

  @Test
  void requiredValueThroughAMacroNamesTheMacro() {
    Injector injector = injector("DATA_DIR = %REQUIRED\n\nteacher/Pipeline.data_dir = %DATA_DIR\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Pipeline.class, "teacher"));
    assertOnlyError(e, "test.conf", 3, 1, "DATA_DIR is required but was never set (test.conf:1); bind it with"
        + " --binding \"DATA_DIR = '...'\" (needed by teacher/Pipeline.data_dir)");
  }

  @Test
  void requiredMacroQuotesTheCommentBlockAboveItsDefinition() {
    Injector injector = injector("""
        # Data sets.

        # ImageNet train, as TFRecords. Make them with:
        #   tools/convert-dataset --dataset imagefolder --input train --output /data/imagenet
        DATA_DIR = %REQUIRED
        # (not documentation of DATA_DIR)
        OTHER = %DATA_DIR
        teacher/Pipeline.data_dir = %OTHER
        """);
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Pipeline.class, "teacher"));
    assertOnlyError(e, "test.conf", 8, 1, "DATA_DIR is required but was never set (test.conf:5): ImageNet train, as"
        + " TFRecords. Make them with: tools/convert-dataset --dataset imagefolder --input train --output /data/imagenet;"
        + " bind it with --binding \"DATA_DIR = '...'\" (needed by teacher/Pipeline.data_dir)");
  }

  @Test
  void requiredNumberMacroSuggestsAnUnquotedValue() {
    Injector injector = injector("STEPS = %REQUIRED\nTrainer.steps = %STEPS\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Trainer.class));
    assertOnlyError(e, "test.conf", 2, 1, "STEPS is required but was never set (test.conf:1); bind it with"
        + " --binding \"STEPS = ...\" (needed by Trainer.steps)");
  }

  @Test
  void requiredValueOverriddenLaterIsFine() {
    Config config = new ConfigLoader(Fixtures.registry())
        .parseString("base.conf", "DATA_DIR = %REQUIRED\nPipeline.data_dir = %DATA_DIR\n")
        .parseBinding("DATA_DIR = '/data/imagenet'")
        .build();
    assertEquals("/data/imagenet", new Injector(config).create(Pipeline.class).dataDir());
  }

  @Test
  void requiredValueThatIsNeverNeededIsNoError() {
    Injector injector = injector("Pipeline.data_dir = %REQUIRED\nModel.depth = 18\n");
    assertEquals(18, injector.create(Model.class).depth());
    // ... and a caller value also satisfies it.
    assertEquals("/x", injector.create(Pipeline.class, "", Map.of("dataDir", "/x")).dataDir());
  }

  @Test
  void denylistedParametersMustComeFromTheCaller() {
    Injector injector = injector("Picky.size = 7\n");
    Object graph = new Object();
    Picky picky = injector.create(Picky.class, "", Map.of("graph", graph));
    assertSame(graph, picky.graph);
    assertEquals(7, picky.size);
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Picky.class));
    assertEquals("error: no value for Picky.graph: the caller must pass it (it is denylisted for configs)", e.getMessage());
  }

  @Test
  void aConstructorRejectingItsValuesIsAConfigErrorAtTheCallSite() {
    Injector injector = injector("Picky.size = -1\nHolder.anything = @Picky()\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Fixtures.Holder.class));
    // Picky.graph is denylisted: the reference cannot supply it, which is reported first.
    assertOnlyError(e, "test.conf", 2, 19, "no value for Picky.graph: the caller must pass it (it is denylisted for configs)");
    ConfigException rejected = assertThrows(ConfigException.class, () -> injector.create(Picky.class, "", Map.of("graph", 1)));
    assertEquals("error: Picky rejected its configuration: size must be positive, got -1", rejected.getMessage());
  }

  @Test
  void explicitValuesAreCheckedAgainstTheParameters() {
    Injector injector = injector("Trainer.steps = 1\n");
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> injector.create(Trainer.class, "", Map.of("stepz", 1)));
    assertEquals("explicit value for unknown parameter 'stepz' of Trainer (its parameters: steps, learning_rate, optimizer, name)", unknown.getMessage());
    IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class,
        () -> injector.create(Trainer.class, "", Map.of("steps", "ten")));
    assertEquals("explicit value for Trainer.steps must be a int, got java.lang.String", wrongType.getMessage());
  }

  @Test
  void optionalParametersWithoutDefaultAreNone() {
    Fixtures.Kitchen k = injector("").create(Fixtures.Kitchen.class);
    assertEquals(java.util.Optional.empty(), k.unset());
    assertNull(k.anything());
  }

  @Test
  void unusedBindingsAreWarnedAboutWithTheirPositions() {
    Injector injector = injector(String.join("\n",
        "Trainer.steps = 5",
        "techer/Trainer.steps = 6",       // typo in the scope: never looked up
        "Model.depth = 50",               // Model is never created
        "teacher/Trainer.learning_rate = 0.3",
        ""));
    injector.create(Trainer.class, "teacher");
    List<Diagnostic> unused = injector.unusedBindings();
    assertEquals(2, unused.size());
    assertDiagnostic(unused.get(0), "test.conf", 2, 1, "binding techer/Trainer.steps was never used");
    assertDiagnostic(unused.get(1), "test.conf", 3, 1, "binding Model.depth was never used");
    assertEquals(Diagnostic.Severity.WARNING, unused.get(0).severity());
    assertEquals("test.conf:3:1: warning: binding Model.depth was never used\nModel.depth = 50\n^", unused.get(1).format());
  }

  @Test
  void createByClassNeedsExactlyOneConfigurable() {
    Injector injector = injector("");
    ConfigException none = assertThrows(ConfigException.class, () -> injector.create(String.class));
    assertEquals("error: several configurables create java.lang.String: [must.graph.Node, must.tree.Node]; call it by name", none.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> injector.create(Integer.class));
    assertEquals("error: no configurable creates java.lang.Integer (is its class listed by a ConfigurableModule?)", missing.getMessage());
  }
}
