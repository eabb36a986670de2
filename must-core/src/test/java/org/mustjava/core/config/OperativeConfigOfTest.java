package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Holder;
import org.mustjava.core.config.Fixtures.Model;
import org.mustjava.core.config.Fixtures.Student;
import org.mustjava.core.config.Fixtures.TaskHead;

/** {@link Injector#operativeConfigOf}: what one object's creation used, and nothing a sibling used. */
class OperativeConfigOfTest {
  private static final String CONFIG = String.join("\n",
      "Student.heads = [@a/TaskHead(), @b/TaskHead()]",
      "Student.backbone = @Model()",
      "Model.depth = 18",
      "a/TaskHead.task = 'data/a'",
      "b/TaskHead.task = 'data/b'",
      "b/TaskHead.weight = 2.0",
      "Holder.optimizer = @fast/Momentum",
      "fast/Momentum.learning_rate = 0.5",
      "shared/singleton.constructor = @Model",
      "Holder.anything = @shared/singleton()",
      "");

  @Test
  void eachObjectSeesOnlyWhatItsOwnCreationUsed() {
    Injector injector = new Injector(Fixtures.load(CONFIG));
    Student student = injector.create(Student.class);
    TaskHead a = student.heads().get(0);
    TaskHead b = student.heads().get(1);

    String ofA = injector.operativeConfigOf(a).orElseThrow().text();
    assertEquals("# Parameters for a/TaskHead:\n# " + "=".repeat(78) + "\na/TaskHead.task = 'data/a'\na/TaskHead.weight = 1.0\n", ofA);
    assertEquals(List.of("data/a"), injector.operativeConfigOf(a).get().strings());
    String ofB = injector.operativeConfigOf(b).orElseThrow().text();
    assertTrue(ofB.contains("b/TaskHead.weight = 2.0"), ofB);
    assertFalse(ofB.contains("a/TaskHead") || ofB.contains("Model"), ofB);

    // The parent holds its children's configuration too.
    String ofStudent = injector.operativeConfigOf(student).orElseThrow().text();
    for (String line : List.of("a/TaskHead.task = 'data/a'", "b/TaskHead.task = 'data/b'", "Model.depth = 18",
        "Student.heads = [@a/TaskHead(), @b/TaskHead()]")) {
      assertTrue(ofStudent.contains(line), line + " in\n" + ofStudent);
    }
    assertTrue(injector.operativeConfigOf(student).get().strings().containsAll(List.of("data/a", "data/b")));
  }

  @Test
  void referencesAndSingletonsAreRecordedWithTheirUser() {
    Injector injector = new Injector(Fixtures.load(CONFIG));
    Holder first = injector.create(Holder.class);
    Holder second = injector.create(Holder.class);
    assertSame(first.anything(), second.anything());
    for (Holder h : List.of(first, second)) {
      String text = injector.operativeConfigOf(h).orElseThrow().text();
      // A factory never called still shows its bindings; a shared singleton shows in every user.
      assertTrue(text.contains("fast/Momentum.learning_rate = 0.5"), text);
      assertTrue(text.contains("shared/Model.depth = 18"), text);
    }
    assertTrue(injector.operativeConfigOf(new Model(1, 1.0, Fixtures.Activation.RELU)).isEmpty());
  }
}
