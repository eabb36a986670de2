package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Momentum;
import org.mustjava.core.config.Fixtures.Optimizer;
import org.mustjava.core.config.Fixtures.Student;
import org.mustjava.core.config.Fixtures.TaskHead;
import org.mustjava.core.config.Fixtures.Trainer;

/** Scoped bindings: the innermost scope wins, enclosing scopes and the root are inherited. */
class ScopeTest {
  private static final String CONFIG = String.join("\n",
      "Trainer.steps = 100",
      "Trainer.learning_rate = 0.1",
      "teacher/Trainer.learning_rate = 0.32",
      "teacher/det/Trainer.learning_rate = 0.08",
      "teacher/det/Trainer.name = 'det'",
      "Trainer.optimizer = @Momentum()",
      "Momentum.momentum = 0.9",
      "teacher/Momentum.learning_rate = 0.5",
      "");

  @Test
  void innermostScopeWinsAndOuterBindingsAreInherited() {
    Injector injector = new Injector(Fixtures.load(CONFIG));
    Trainer root = injector.create(Trainer.class);
    Trainer teacher = injector.create(Trainer.class, "teacher");
    Trainer det = injector.create(Trainer.class, "teacher/det");
    Trainer other = injector.create(Trainer.class, "student");
    assertEquals(List.of(100, 100, 100, 100), List.of(root.steps(), teacher.steps(), det.steps(), other.steps()));
    assertEquals(List.of(0.1, 0.32, 0.08, 0.1), List.of(root.learningRate(), teacher.learningRate(), det.learningRate(), other.learningRate()));
    assertEquals(List.of("trainer", "trainer", "det", "trainer"), List.of(root.name(), teacher.name(), det.name(), other.name()));
  }

  @Test
  void scopesAreMatchedAsPrefixesNotAnywhere() {
    // det/... bindings do not apply inside teacher/det: scopes nest from the root.
    Injector injector = new Injector(Fixtures.load("Trainer.steps = 1\ndet/Trainer.steps = 2\n"));
    assertEquals(1, injector.create(Trainer.class, "teacher/det").steps());
    assertEquals(2, injector.create(Trainer.class, "det").steps());
  }

  @Test
  void referencesAreCalledInTheScopeOfTheirCaller() {
    Injector injector = new Injector(Fixtures.load(CONFIG));
    Optimizer rootOptimizer = injector.create(Trainer.class).optimizer();
    Optimizer teacherOptimizer = injector.create(Trainer.class, "teacher/det").optimizer();
    assertEquals(new Momentum(0.1, 0.9), rootOptimizer);
    assertEquals(new Momentum(0.5, 0.9), teacherOptimizer); // teacher/Momentum inherited inside teacher/det
  }

  @Test
  void scopedReferencesNestIntoTheActiveScope() {
    Injector injector = new Injector(Fixtures.load(String.join("\n",
        "Student.heads = [@cls/TaskHead(), @det/TaskHead()]",
        "TaskHead.task = 'default'",
        "cls/TaskHead.task = 'classification'",
        "det/TaskHead.task = 'detection'",
        "det/TaskHead.weight = 2.0",
        "big/det/TaskHead.weight = 4.0",
        "")));
    assertEquals(List.of(new TaskHead("classification", 1.0), new TaskHead("detection", 2.0)), injector.create(Student.class).heads());
    // Inside scope big, @det/TaskHead() runs in big/det: big/det/TaskHead.weight applies, det/... does not.
    assertEquals(List.of(new TaskHead("default", 1.0), new TaskHead("default", 4.0)), injector.create(Student.class, "big").heads());
  }

  @Test
  void malformedScopesFromJavaAreRejected() {
    Injector injector = new Injector(Fixtures.load(CONFIG));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> injector.create(Trainer.class, "a//b"));
    assertEquals("malformed scope 'a//b': expected names separated by '/'", e.getMessage());
  }
}
