package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Holder;
import org.mustjava.core.config.Fixtures.Model;
import org.mustjava.core.config.Fixtures.Trainer;

/** The operative config's exact content: grouping, sorting, defaults, macros, references. */
class OperativeConfigTest {
  private static final String CONFIG = String.join("\n",
      "import must.models",
      "SIZE = 50",
      "LR = %BASE_LR",
      "BASE_LR = 0.5",
      "Model.depth = %SIZE",
      "Trainer.steps = 10",
      "teacher/Trainer.learning_rate = 0.32",
      "Trainer.optimizer = @Momentum()",
      "Holder.optimizer = @fast/Momentum",
      "fast/Momentum.learning_rate = %LR",
      "Trainer.name = 'it''s'",
      "");

  private static Injector construct(Config config) {
    Injector injector = new Injector(config);
    injector.create(Trainer.class);
    injector.create(Trainer.class, "teacher");
    injector.create(Holder.class); // its optimizer factory is never called
    injector.create(Model.class, "", Map.of("width", 3.0)); // caller values are not printed
    return injector;
  }

  private static final String EXPECTED = String.join("\n",
      "# Operative configuration: every configurable this run used, with every parameter value",
      "# it used (bindings and defaults). Feed this file back to reproduce the configuration.",
      "",
      "# Parameters for Holder:",
      "# " + "=".repeat(78),
      "Holder.anything = None",
      "Holder.model = None",
      "Holder.optimizer = @fast/Momentum",
      "",
      "# Parameters for Model:",
      "# " + "=".repeat(78),
      "Model.activation = 'RELU'",
      "Model.depth = 50",
      "",
      "# Parameters for Momentum:",
      "# " + "=".repeat(78),
      "Momentum.learning_rate = 0.1",
      "Momentum.momentum = 0.9",
      "",
      "# Parameters for fast/Momentum:",
      "# " + "=".repeat(78),
      "fast/Momentum.learning_rate = 0.5",
      "fast/Momentum.momentum = 0.9",
      "",
      "# Parameters for teacher/Momentum:",
      "# " + "=".repeat(78),
      "teacher/Momentum.learning_rate = 0.1",
      "teacher/Momentum.momentum = 0.9",
      "",
      "# Parameters for Trainer:",
      "# " + "=".repeat(78),
      "Trainer.learning_rate = 0.1",
      "Trainer.name = 'its'",
      "Trainer.optimizer = @Momentum()",
      "Trainer.steps = 10",
      "",
      "# Parameters for teacher/Trainer:",
      "# " + "=".repeat(78),
      "teacher/Trainer.learning_rate = 0.32",
      "teacher/Trainer.name = 'its'",
      "teacher/Trainer.optimizer = @Momentum()",
      "teacher/Trainer.steps = 10",
      "");

  @Test
  void listsEveryUsedParameterGroupedAndSortedWithMacrosResolved() {
    Injector injector = construct(Fixtures.load(CONFIG));
    assertEquals(EXPECTED, injector.operativeConfig());
    assertEquals(java.util.List.of(), injector.unusedBindings());
  }

  @Test
  void feedingTheOperativeConfigBackGivesTheSameOperativeConfigAndObjects() {
    Injector first = construct(Fixtures.load(CONFIG));
    Injector second = construct(Fixtures.load(first.operativeConfig()));
    assertEquals(first.operativeConfig(), second.operativeConfig());
    assertEquals(first.create(Trainer.class, "teacher"), second.create(Trainer.class, "teacher"));
    assertEquals(java.util.List.of(), second.unusedBindings());
  }

  @Test
  void showsTheNumberAConfigurableReturnedAsAComment() {
    Injector injector = new Injector(Fixtures.load(
        "Model.depth = 34\nHolder.anything = [@depthOf(), @deep/depthOf()]\ndeep/Model.depth = 101\n"
            + "depthOf.model = @Model()\n"));
    injector.create(Holder.class);
    String operative = injector.operativeConfig();
    assertTrue(operative.contains("# Parameters for depthOf:\n# " + "=".repeat(78) + "\n# Returns: 34\n"
        + "depthOf.model = @Model()\n"), operative);
    assertTrue(operative.contains("# Parameters for deep/depthOf:\n# " + "=".repeat(78) + "\n# Returns: 101\n"),
        operative);
    // A comment: feeding the file back derives the same values again.
    Injector again = new Injector(Fixtures.load(operative));
    again.create(Holder.class);
    assertEquals(operative, again.operativeConfig());
  }

  @Test
  void printsAmbiguousNamesQualifiedAndConfigurablesWithoutParameters() {
    Injector injector = new Injector(Fixtures.load("tree.Node.id = 5\nHolder.anything = [@graph.Node(), @tree.Node()]\n"));
    injector.create(Holder.class);
    String operative = injector.operativeConfig();
    assertTrue(operative.contains("\nHolder.anything = [@graph.Node(), @tree.Node()]\n"), operative);
    assertTrue(operative.contains("\ngraph.Node.id = 1\n"), operative);
    assertTrue(operative.contains("\ntree.Node.id = 5\n"), operative);
    Injector empty = new Injector(Fixtures.load(""));
    empty.call("must.config.singleton", "", Map.of("constructor", empty.reference("Counter", "", Object.class)));
    assertTrue(empty.operativeConfig().contains("# Parameters for Counter:\n# " + "=".repeat(78) + "\nCounter.label = ''\n"), empty.operativeConfig());
    assertTrue(empty.operativeConfig().contains("# Parameters for singleton:\n# " + "=".repeat(78) + "\n# (no configurable parameters)\n"),
        empty.operativeConfig());
  }
}
