package org.mustjava.core.config;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Small configurables the config tests bind. */
final class Fixtures {
  private Fixtures() {}

  /** A registry with every fixture. */
  static ConfigRegistry registry() {
    ConfigRegistry r = new ConfigRegistry();
    for (Class<?> c : List.of(Trainer.class, Momentum.class, Adam.class, Model.class, TaskHead.class, Student.class,
        Kitchen.class, Counter.class, Factories.class, Holder.class, Pipeline.class, Picky.class, Graph.class, Node.class)) {
      r.register(c);
    }
    return r;
  }

  /** Shared by {@link #load}: loading never changes a registry. */
  private static final ConfigRegistry SHARED = registry();

  /** Loads config text (named {@code test.conf}) against the fixtures. */
  static Config load(String text) {
    return new ConfigLoader(SHARED).parseString("test.conf", text).build();
  }

  enum Activation {
    RELU,
    SWISH
  }

  interface Optimizer {
    double learningRate();
  }

  @Configurable
  record Momentum(@Default("0.1") double learningRate, @Default("0.9") double momentum) implements Optimizer {}

  @Configurable
  record Adam(double learningRate) implements Optimizer {}

  @Configurable
  record Trainer(int steps, @Default("0.1") double learningRate, @Default("None") Optimizer optimizer,
      @Default("'trainer'") String name) {}

  @Configurable
  record Model(int depth, @Default("1.0") double width, @Default("'RELU'") Activation activation) {}

  @Configurable
  record TaskHead(String task, @Default("1.0") double weight) {}

  @Configurable
  record Student(List<TaskHead> heads, @Default("{}") Map<String, TaskHead> byName, @Default("None") Model backbone) {}

  /** Holds references to configurables (factories) rather than their results. */
  @Configurable
  record Holder(@Default("None") ConfigurableReference<Optimizer> optimizer, @Default("None") Supplier<Model> model,
      @Default("None") Object anything) {}

  /** One parameter of every convertible type, each with a default, so a test can bind any one. */
  @Configurable
  record Kitchen(
      @Default("0") int i, @Default("0") long l, @Default("0") short s, @Default("0") byte b,
      @Default("0.0") double d, @Default("0.0") float f, @Default("False") boolean flag,
      @Default("''") String str, @Default("'RELU'") Activation act, @Default("'.'") Path path,
      @Default("[]") List<Integer> ints, @Default("[]") int[] intArray, @Default("[]") String[] strings,
      @Default("[]") Set<String> set, @Default("{}") Map<String, Double> weights,
      @Default("None") Optional<Integer> maybe, @Default("None") Object anything, @Default("None") Integer boxed,
      @Default("[]") List<List<Integer>> nested, @Default("[]") Collection<Long> coll,
      @Default("{}") Map<Integer, List<String>> byInt, Optional<String> unset) {}

  /** Counts its calls, to tell "called anew" from "shared". */
  static final class Counter {
    static final AtomicInteger CALLS = new AtomicInteger();
    final int serial;
    final String label;

    @Configurable
    Counter(@Default("''") String label) {
      this.serial = CALLS.incrementAndGet();
      this.label = label;
    }
  }

  /** Static factories, including one declared to return an interface and one returning Object. */
  static final class Factories {
    private Factories() {}

    @Configurable("sgd")
    static Optimizer sgd(@Default("0.01") double learningRate) {
      return new Momentum(learningRate, 0.0);
    }

    @Configurable("anything")
    static Object anything(@Default("'text'") String what) {
      return what.equals("model") ? new Model(1, 1.0, Activation.RELU) : what;
    }

    @Configurable("depthOf")
    static int depthOf(Model model) {
      return model.depth();
    }
  }

  /** A pipeline whose data path must be given ({@code %REQUIRED} in the tests). */
  @Configurable
  record Pipeline(String dataDir, @Default("32") int imageSize) {}

  /** Rejects bad values in its constructor; has a parameter configs may not bind. */
  static final class Picky {
    final int size;
    final Object graph;

    @Configurable(denylist = "graph")
    Picky(Object graph, @Default("4") int size) {
      if (size <= 0) {
        throw new IllegalArgumentException("size must be positive, got " + size);
      }
      this.graph = graph;
      this.size = size;
    }
  }

  /** Two configurables named Node in different modules, for ambiguity. */
  static final class Graph {
    private Graph() {}

    @Configurable(value = "Node", module = "must.graph")
    static String graphNode(@Default("1") int id) {
      return "graph" + id;
    }
  }

  static final class Node {
    private Node() {}

    @Configurable(value = "Node", module = "must.tree")
    static String treeNode(@Default("2") int id) {
      return "tree" + id;
    }
  }
}
