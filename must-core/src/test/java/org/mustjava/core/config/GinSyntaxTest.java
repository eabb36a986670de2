package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mustjava.core.config.ConfigAssertions.assertDiagnostic;
import static org.mustjava.core.config.ConfigAssertions.assertLoadError;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;
import static org.mustjava.core.config.ConfigAssertions.parse;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Activation;
import org.mustjava.core.config.Fixtures.Kitchen;
import org.mustjava.core.config.Fixtures.Model;
import org.mustjava.core.config.Fixtures.Trainer;

/** The gin constructs beyond {@code Name.param = value}: blocks, scoped macros, constants, imports. */
class GinSyntaxTest {
  private static String describe(List<Statement> statements) {
    return statements.stream().map(s -> {
      if (s instanceof Statement.Binding b) {
        return Scopes.prefix(b.scope()) + b.name() + "." + b.param() + " = " + ValueWriter.write(b.value()) + " @" + b.position();
      }
      if (s instanceof Statement.MacroDefinition m) {
        return m.name() + " = " + ValueWriter.write(m.value());
      }
      return s.toString();
    }).collect(Collectors.joining("\n"));
  }

  @Test
  void bindingBlocksBindEachIndentedLine() {
    List<Statement> statements = parse(String.join("\n",
        "train/must.models.Model:",
        "  # a comment line inside the block",
        "  depth = 50",
        "",
        "  width = [1.0,",
        "     2.0]  # continued inside brackets",
        "Trainer:",
        "\tsteps = 3",
        "Trainer.learning_rate = 0.5"));
    assertEquals(String.join("\n",
        "train/must.models.Model.depth = 50 @test.conf:3:3",
        "train/must.models.Model.width = [1.0, 2.0] @test.conf:5:3",
        "Trainer.steps = 3 @test.conf:8:2",
        "Trainer.learning_rate = 0.5 @test.conf:9:1"), describe(statements));
    Statement.Binding first = (Statement.Binding) statements.get(0);
    assertEquals("test.conf:1:7", first.namePosition().toString());
    assertEquals("test.conf:3:3", first.paramPosition().toString());
  }

  @Test
  void blockBindingsConfigureObjects() {
    Config config = Fixtures.load("Model:\n    depth = 18\n    activation = 'SWISH'\n");
    assertEquals(new Model(18, 1.0, Activation.SWISH), new Injector(config).create(Model.class));
  }

  @Test
  void blockMistakesAreReportedWithTheFix() {
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("Trainer.steps: 3")), "test.conf", 1, 14,
        "expected '=' after 'Trainer.steps', found ':' (write 'Trainer.steps = value'; ':' starts a block, 'Name:' followed by"
            + " indented 'param = value' lines)");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("Trainer:\nsteps = 3")), "test.conf", 2, 1,
        "expected indented 'param = value' lines after 'Trainer:' (or write 'Trainer.param = value')");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("Trainer:\n  steps = 3\n    name = 'x'")), "test.conf", 3, 5,
        "unexpected indentation: the lines of the block 'Trainer:' must line up with its first line");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("Trainer:\n        steps = 3\n\tname = 'x'")), "test.conf", 3, 2,
        "the lines of the block 'Trainer:' mix tabs and spaces in their indentation: indent them all alike, with spaces");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("Trainer:\n  Trainer.steps = 3")), "test.conf", 2, 10,
        "a line of the block 'Trainer:' binds one parameter: write 'param = value' (no '.' in the name), or end the block"
            + " by unindenting the line");
    assertOnlyError(assertThrows(ConfigException.class, () -> parse("Trainer:\n  steps: 3")), "test.conf", 2, 8,
        "expected '=' after 'steps' in the block 'Trainer:', found ':' (block lines are 'param = value')");
  }

  @Test
  void scopedMacrosAreKeyedByTheirWholeName() {
    List<Statement> statements = parse("train/STEPS = 3\neval/STEPS = 1\nTrainer.steps = %train/STEPS\n");
    assertEquals("train/STEPS = 3\neval/STEPS = 1\nTrainer.steps = %train/STEPS @test.conf:3:1", describe(statements));
    Config config = Fixtures.load("train/STEPS = 3\neval/STEPS = 1\nSTEPS = 7\nTrainer.steps = %train/STEPS\n");
    assertEquals(3, new Injector(config).create(Trainer.class).steps());
    assertLoadError("train/STEPS = 3\nTrainer.steps = %eval/STEPS\n", 2, 17,
        "undefined macro %eval/STEPS (defined as %train/STEPS: a scoped macro is named with its scope)");
  }

  @Test
  void enumMembersOfParameterTypesAreConstants() {
    for (String name : List.of("Activation.SWISH", "Fixtures.Activation.SWISH", "org.mustjava.core.config.Fixtures.Activation.SWISH")) {
      Config config = Fixtures.load("Model.depth = 1\nModel.activation = %" + name + "\nKitchen.anything = %" + name + "\n");
      Injector injector = new Injector(config);
      assertEquals(Activation.SWISH, injector.create(Model.class).activation(), name);
      assertSame(Activation.SWISH, injector.create(Kitchen.class).anything(), name);
      assertTrue(injector.operativeConfig().contains("Model.activation = %org.mustjava.core.config.Fixtures.Activation.SWISH"),
          injector::operativeConfig);
    }
  }

  @Test
  void constantsComeFromModules() {
    ConfigRegistry registry = Fixtures.registry().registerModule(new ConfigurableModule() {
      @Override
      public List<Class<?>> configurables() {
        return List.of();
      }

      @Override
      public Map<String, Object> constants() {
        return Map.of("must.test.STEPS", 12, "must.test.RATE", 0.25, "must.other.STEPS", 13);
      }

      @Override
      public List<Class<? extends Enum<?>>> enums() {
        return List.of(java.time.DayOfWeek.class);
      }
    });
    Config config = new ConfigLoader(registry)
        .parseString("c.conf", "Trainer.steps = %test.STEPS\nTrainer.learning_rate = %RATE\nKitchen.anything = %DayOfWeek.MONDAY\n")
        .build();
    Injector injector = new Injector(config);
    assertEquals(new Trainer(12, 0.25, null, "trainer"), injector.create(Trainer.class));
    assertSame(java.time.DayOfWeek.MONDAY, injector.create(Kitchen.class).anything());
    assertTrue(injector.operativeConfig().contains("Trainer.steps = 12"), injector::operativeConfig);

    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(registry)
        .parseString("c.conf", "Trainer.steps = %STEPS\nModel.depth = %Activation.RELU\nModel.width = %gym_lib.CARTPOLE_SHAPE\n")
        .build());
    assertEquals(3, e.diagnostics().size(), e::getMessage);
    assertDiagnostic(e.diagnostics().get(0), "c.conf", 1, 17,
        "ambiguous constant %STEPS: it matches must.other.STEPS and must.test.STEPS; qualify it with (the end of) its module");
    assertDiagnostic(e.diagnostics().get(1), "c.conf", 3, 15,
        "unknown constant %gym_lib.CARTPOLE_SHAPE: no ConfigurableModule registers it (Java constants are listed by a module's"
            + " constants(); enum members are %Enum.MEMBER for enums a module lists in enums() or a configurable parameter takes)");
    assertDiagnostic(e.diagnostics().get(2), "c.conf", 2, 15,
        "type mismatch: Model.depth expects int, got %org.mustjava.core.config.Fixtures.Activation.RELU (via %Activation.RELU)"
            + " (a org.mustjava.core.config.Fixtures$Activation)");
  }

  @Test
  void configMacrosShadowConstantsAndConstantsCannotBeRedefined() {
    ConfigRegistry registry = Fixtures.registry().registerConstant("must.test.STEPS", 12);
    Config config = new ConfigLoader(registry).parseString("c.conf", "STEPS = 5\nTrainer.steps = %STEPS\n").build();
    assertEquals(5, new Injector(config).create(Trainer.class).steps());
    registry.registerConstant("must.test.STEPS", 12); // The same value again is fine.
    ConfigException e = assertThrows(ConfigException.class, () -> registry.registerConstant("must.test.STEPS", 13));
    assertEquals("constant 'must.test.STEPS' is registered twice, as 12 and as 13", e.first().message());
  }

  @Test
  void importsWithAliasesAreAcceptedAndNoted() {
    List<Statement> statements = parse(String.join("\n",
        "from __gin__ import dynamic_registration",
        "from t5x.contrib.calm import decoding as calm_decoding",
        "import __main__ as train_script",
        "import a.b.c as d",
        "from a import b as c, d"));
    assertEquals(List.of("from __gin__ import dynamic_registration", "from t5x.contrib.calm import decoding as calm_decoding",
            "import __main__ as train_script", "import a.b.c as d", "from a import b as c, d"),
        statements.stream().map(s -> ((Statement.Import) s).text()).toList());
    Config config = Fixtures.load("import a.b.c as d\nTrainer.steps = 1\n");
    assertEquals(1, config.notes().size());
  }

  @Test
  void referencesAndMacrosMayHaveDottedScopesAsInGin() {
    Statement.Binding b = (Statement.Binding) parse("A.b = [@x.y/z/m.Name(), %x.y/NAME]").get(0);
    ConfigValue.ListValue list = (ConfigValue.ListValue) b.value();
    ConfigValue.ReferenceValue ref = (ConfigValue.ReferenceValue) list.items().get(0);
    assertEquals("x.y/z", ref.scope());
    assertEquals("m.Name", ref.name());
    assertEquals("test.conf:1:15", ref.namePosition().toString());
    assertEquals("x.y/NAME", ((ConfigValue.MacroValue) list.items().get(1)).name());
  }
}
