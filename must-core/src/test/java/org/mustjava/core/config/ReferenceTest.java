package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Counter;
import org.mustjava.core.config.Fixtures.Holder;
import org.mustjava.core.config.Fixtures.Kitchen;
import org.mustjava.core.config.Fixtures.Model;
import org.mustjava.core.config.Fixtures.Momentum;
import org.mustjava.core.config.Fixtures.Optimizer;
import org.mustjava.core.config.Fixtures.Trainer;

/** {@code @Name()} calls (anew each evaluation), {@code @Name} gives a factory, singletons share. */
class ReferenceTest {
  @BeforeEach
  void resetCounter() {
    Counter.CALLS.set(0);
  }

  private static Injector injector(String text) {
    return new Injector(Fixtures.load(text));
  }

  @Test
  void calledReferenceIsEvaluatedAnewEachTime() {
    Injector injector = injector("Kitchen.anything = [@Counter(), @Counter()]\nCOUNTER = @Counter()\nHolder.anything = [%COUNTER, %COUNTER]\n");
    List<?> kitchen = (List<?>) injector.create(Kitchen.class).anything();
    List<?> holder = (List<?>) injector.create(Holder.class).anything();
    assertEquals(4, Counter.CALLS.get());
    assertNotSame(kitchen.get(0), kitchen.get(1));
    assertNotSame(holder.get(0), holder.get(1)); // a macro holding @Counter() calls it at each use too
    injector.create(Kitchen.class);
    assertEquals(6, Counter.CALLS.get());
  }

  @Test
  void uncalledReferenceIsAFactoryThatJavaCallsLater() {
    Injector injector = injector("Holder.optimizer = @Momentum\nMomentum.learning_rate = 0.3\nHolder.model = @Model\nModel.depth = 18\n");
    Holder holder = injector.create(Holder.class);
    ConfigurableReference<Optimizer> factory = holder.optimizer();
    assertEquals("@Momentum", factory.toString());
    Optimizer first = factory.call();
    Optimizer second = factory.call();
    assertEquals(new Momentum(0.3, 0.9), first);
    assertNotSame(first, second);
    assertEquals(new Momentum(0.7, 0.9), factory.call(Map.of("learningRate", 0.7))); // explicit wins
    assertEquals(new Model(18, 1.0, Fixtures.Activation.RELU), holder.model().get()); // Supplier parameter
  }

  @Test
  void uncalledReferenceKeepsTheScopeItWasEvaluatedIn() {
    Injector injector = injector("teacher/Holder.optimizer = @fast/Momentum\nteacher/fast/Momentum.learning_rate = 0.9\n");
    ConfigurableReference<Optimizer> factory = injector.create(Holder.class, "teacher").optimizer();
    assertEquals("teacher/fast", factory.scope());
    assertEquals("@teacher/fast/Momentum", factory.toString());
    assertEquals(0.9, factory.call().learningRate());
  }

  @Test
  void referencesWorkInsideListsAndDicts() {
    Injector injector = injector(String.join("\n",
        "Student.heads = [@TaskHead(), @det/TaskHead()]",
        "Student.by_name = {'cls': @cls/TaskHead()}",
        "TaskHead.task = 'x'",
        "cls/TaskHead.task = 'cls'",
        "det/TaskHead.task = 'det'",
        ""));
    Fixtures.Student student = injector.create(Fixtures.Student.class);
    assertEquals(List.of("x", "det"), student.heads().stream().map(Fixtures.TaskHead::task).toList());
    assertEquals("cls", student.byName().get("cls").task());
  }

  @Test
  void singletonSharesOneObjectPerScope() {
    Injector injector = injector(String.join("\n",
        "shared/singleton.constructor = @Counter",
        "Kitchen.anything = [@shared/singleton(), @shared/singleton(), @Counter()]",
        "Counter.label = 'one'",
        ""));
    List<?> values = (List<?>) injector.create(Kitchen.class).anything();
    assertSame(values.get(0), values.get(1));
    assertNotSame(values.get(0), values.get(2));
    assertEquals(2, Counter.CALLS.get());
    List<?> again = (List<?>) injector.create(Kitchen.class).anything();
    assertSame(values.get(0), again.get(0)); // cached for the injector's lifetime
    assertEquals(3, Counter.CALLS.get());
    // A new injector (a new run) makes its own singleton.
    assertNotSame(values.get(0), ((List<?>) new Injector(injector.config()).create(Kitchen.class).anything()).get(0));
  }

  @Test
  void referenceCyclesAreReported() {
    Injector injector = injector("Holder.anything = @Kitchen()\nKitchen.anything = @Holder()\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Holder.class));
    assertOnlyError(e, "test.conf", 2, 20, "reference cycle: Holder -> Kitchen -> Holder");
  }

  @Test
  void resultsOfFactoriesDeclaredLooselyAreCheckedWhenCalled() {
    // anything() is declared to return Object, so only the call can tell that a String is no Model.
    Injector injector = injector("Student.backbone = @anything()\nStudent.heads = []\n");
    ConfigException e = assertThrows(ConfigException.class, () -> injector.create(Fixtures.Student.class));
    assertOnlyError(e, "test.conf", 1, 20, "type mismatch: Student.backbone expects Model, but @anything() returned a java.lang.String");
    Injector ok = injector("Student.backbone = @anything()\nanything.what = 'model'\nStudent.heads = []\n");
    assertEquals(1, ok.create(Fixtures.Student.class).backbone().depth());
  }

  @Test
  void factoryDeclaredToReturnAnInterfaceIsAccepted() {
    Injector injector = injector("Trainer.steps = 1\nTrainer.optimizer = @sgd()\nsgd.learning_rate = 0.2\n");
    assertEquals(0.2, injector.create(Trainer.class).optimizer().learningRate());
  }

  @Test
  void referencesResultsMayFeedPrimitiveParameters() {
    Injector injector = injector("Trainer.steps = @depthOf()\ndepthOf.model = @Model()\nModel.depth = 34\n");
    assertEquals(34, injector.create(Trainer.class).steps());
  }

  @Test
  void referencesFromJavaBehaveLikeConfigReferences() {
    Injector injector = injector("teacher/Momentum.learning_rate = 0.4\n");
    ConfigurableReference<Optimizer> ref = injector.reference("Momentum", "teacher", Optimizer.class);
    assertEquals(0.4, ref.call().learningRate());
    assertEquals(ref, injector.reference("Momentum", "teacher", Optimizer.class));
    assertNotEquals(ref, injector.reference("Momentum", "", Optimizer.class));
    assertInstanceOf(Momentum.class, injector.call("Momentum", "", Map.of()));
  }
}
