package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Holder;
import org.mustjava.core.config.Fixtures.Kitchen;
import org.mustjava.core.config.Fixtures.Model;
import org.mustjava.core.config.Fixtures.Student;
import org.mustjava.core.config.Fixtures.Trainer;

/**
 * Property: for many randomly generated configs (random values of every type, scopes, macros,
 * overridden %REQUIRED, references, and random spellings of the same values), running a fixed
 * construction, printing the operative config, parsing it back and running the construction again
 * gives the same operative config, the same objects, and no unused bindings.
 */
class OperativeRoundTripTest {
  private static final int CASES = 300;
  private static final String[] SCOPES = {"", "a", "a/b", "x", "x/y"};

  @Test
  void operativeConfigIsAFixedPointOfParseAndConstruct() {
    for (int seed = 0; seed < CASES; seed++) {
      String text = new Generator(new Random(seed)).config();
      String context = "seed " + seed + ", config:\n" + text;
      Config config;
      try {
        config = Fixtures.load(text);
      } catch (ConfigException e) {
        throw new AssertionError("generated config does not load: " + e.getMessage() + "\n" + context, e);
      }
      Injector first = new Injector(config);
      String objects1 = construct(first);
      String operative1 = first.operativeConfig();
      Injector second = new Injector(Fixtures.load(operative1));
      String objects2 = construct(second);
      assertEquals(operative1, second.operativeConfig(), context);
      assertEquals(objects1, objects2, context);
      assertEquals(List.of(), second.unusedBindings(), context);
    }
  }

  /** The fixed construction both runs repeat; returns a deep description of what it built. */
  private static String construct(Injector injector) {
    StringBuilder out = new StringBuilder();
    for (String scope : new String[] {"", "a", "a/b"}) {
      out.append(describe(injector.create(Kitchen.class, scope))).append('\n');
    }
    out.append(describe(injector.create(Student.class))).append('\n');
    out.append(describe(injector.create(Student.class, "x"))).append('\n');
    out.append(describe(injector.create(Trainer.class, "x/y"))).append('\n');
    out.append(describe(injector.create(Model.class, "m", Map.of("width", 3.0)))).append('\n');
    Holder holder = injector.create(Holder.class);
    out.append(describe(holder)).append('\n');
    if (holder.optimizer() != null) {
      out.append(describe(holder.optimizer().call())).append('\n');
    }
    return out.toString();
  }

  /** Records field by field, arrays by content, doubles exactly (so -0.0 and NaN count). */
  private static String describe(Object o) {
    if (o == null) {
      return "null";
    }
    if (o.getClass().isArray()) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < Array.getLength(o); i++) {
        items.add(describe(Array.get(o, i)));
      }
      return items.toString();
    }
    if (o instanceof Double d) {
      return "d" + Double.doubleToRawLongBits(d);
    }
    if (o instanceof Float f) {
      return "f" + Float.floatToRawIntBits(f);
    }
    if (o instanceof List<?> l) {
      return l.stream().map(OperativeRoundTripTest::describe).toList().toString();
    }
    if (o instanceof java.util.Set<?> s) {
      return "set" + s.stream().map(OperativeRoundTripTest::describe).toList();
    }
    if (o instanceof Map<?, ?> m) {
      List<String> entries = new ArrayList<>();
      m.forEach((k, v) -> entries.add(describe(k) + ":" + describe(v)));
      return "{" + entries + "}";
    }
    if (o instanceof java.util.Optional<?> opt) {
      return "opt(" + opt.map(OperativeRoundTripTest::describe).orElse("") + ")";
    }
    if (o instanceof ConfigurableReference<?> r) {
      return r.toString();
    }
    if (o.getClass().isRecord()) {
      StringBuilder out = new StringBuilder(o.getClass().getSimpleName()).append('(');
      for (RecordComponent c : o.getClass().getRecordComponents()) {
        try {
          out.append(c.getName()).append('=').append(describe(c.getAccessor().invoke(o))).append(' ');
        } catch (ReflectiveOperationException e) {
          throw new AssertionError(e);
        }
      }
      return out.append(')').toString();
    }
    return o.getClass().getSimpleName() + ":" + o;
  }

  /** Writes random configs for the fixtures, spelling each value in one of its many ways. */
  private static final class Generator {
    private final Random random;
    private final StringBuilder out = new StringBuilder();
    private int macros;

    Generator(Random random) {
      this.random = random;
    }

    String config() {
      line("# generated");
      bind("", "Trainer", "steps", this::anInt);
      maybe("Kitchen", "i", this::anInt);
      maybe("Kitchen", "l", () -> integer(random.nextLong()));
      maybe("Kitchen", "s", () -> integer(random.nextInt(65536) - 32768));
      maybe("Kitchen", "b", () -> integer(random.nextInt(256) - 128));
      maybe("Kitchen", "d", this::aDouble);
      maybe("Kitchen", "f", () -> floating(random.nextBoolean() ? random.nextFloat() * 1000 - 500 : Float.intBitsToFloat(random.nextInt()) / 1e10f));
      maybe("Kitchen", "flag", () -> random.nextBoolean() ? "True" : "False");
      maybe("Kitchen", "str", this::aString);
      maybe("Kitchen", "act", () -> quote(random.nextBoolean() ? "RELU" : "SWISH"));
      maybe("Kitchen", "path", () -> quote("/data/" + random.nextInt(100)));
      maybe("Kitchen", "ints", () -> list(this::anInt));
      maybe("Kitchen", "intArray", () -> list(this::anInt));
      maybe("Kitchen", "strings", () -> list(this::aString));
      maybe("Kitchen", "set", () -> list(() -> quote("s" + random.nextInt(3))));
      maybe("Kitchen", "weights", () -> dict(i -> quote("k" + i), this::aDouble));
      maybe("Kitchen", "maybe", () -> random.nextBoolean() ? "None" : anInt());
      maybe("Kitchen", "anything", this::anything);
      maybe("Kitchen", "boxed", () -> random.nextBoolean() ? "None" : anInt());
      maybe("Kitchen", "nested", () -> list(() -> list(this::anInt)));
      maybe("Kitchen", "coll", () -> list(() -> integer(random.nextLong())));
      maybe("Kitchen", "byInt", () -> dict(i -> integer(i * 7L - 3), () -> list(this::aString)));
      bind("", "Student", "heads", () -> list(() -> "@" + scopePrefix() + "TaskHead()"));
      maybe("Student", "heads", () -> list(() -> "@" + scopePrefix() + "TaskHead()"));
      maybe("Student", "byName", () -> dict(i -> quote("t" + i), () -> "@" + scopePrefix() + "TaskHead()"));
      maybe("Student", "backbone", () -> random.nextBoolean() ? "None" : "@" + scopePrefix() + "Model()");
      bind("", "TaskHead", "task", this::aString);
      maybe("TaskHead", "task", this::aString);
      maybe("TaskHead", "weight", this::aDouble);
      bind("", "Model", "depth", this::anInt);
      maybe("Model", "depth", this::anInt);
      maybe("Model", "width", this::aDouble);
      maybe("Model", "activation", () -> quote("SWISH"));
      maybe("Trainer", "learningRate", this::aDouble);
      maybe("Trainer", "optimizer", () -> pick("None", "@Momentum()", "@sgd()", "@" + scopePrefix() + "Momentum()"));
      maybe("Trainer", "name", this::aString);
      maybe("Holder", "optimizer", () -> pick("None", "@Momentum", "@sgd", "@" + scopePrefix() + "Momentum"));
      maybe("Momentum", "learningRate", this::aDouble);
      maybe("Momentum", "momentum", this::aDouble);
      maybe("sgd", "learningRate", this::aDouble);
      return out.toString();
    }

    private void line(String s) {
      out.append(s).append(random.nextInt(4) == 0 ? "   # comment" : "").append('\n');
      if (random.nextInt(5) == 0) {
        out.append('\n');
      }
    }

    private void maybe(String name, String param, java.util.function.Supplier<String> value) {
      for (int n = random.nextInt(3); n > 0; n--) {
        bind(SCOPES[random.nextInt(SCOPES.length)], name, param, value);
      }
    }

    /** One binding, sometimes through a macro chain, sometimes after a %REQUIRED placeholder. */
    private void bind(String scope, String name, String param, java.util.function.Supplier<String> value) {
      String key = (scope.isEmpty() ? "" : scope + "/") + name + "." + param;
      if (random.nextInt(6) == 0) {
        line(key + " = %REQUIRED");
      }
      String v = value.get();
      if (random.nextInt(4) == 0) {
        String m = "M" + macros++;
        line(m + " = " + v);
        v = "%" + m;
        if (random.nextBoolean()) {
          String m2 = "M" + macros++;
          line(m2 + " = " + v);
          v = "%" + m2;
        }
      }
      line(key + (random.nextBoolean() ? " = " : "=") + v);
    }

    private String scopePrefix() {
      String s = SCOPES[random.nextInt(SCOPES.length)];
      return s.isEmpty() ? "" : s + "/";
    }

    private String pick(String... options) {
      return options[random.nextInt(options.length)];
    }

    private String anInt() {
      int kind = random.nextInt(4);
      long v = kind == 0 ? random.nextInt(10) : kind == 1 ? random.nextInt() : kind == 2 ? Integer.MIN_VALUE : Integer.MAX_VALUE;
      return integer(v);
    }

    /** An integer spelled in decimal, hex, with separators or a plus sign. */
    private String integer(long v) {
      switch (random.nextInt(5)) {
        case 0:
          return v >= 0 ? "0x" + Long.toHexString(v) : "-0x" + Long.toHexString(-v).replace("-", "");
        case 1:
          return v >= 0 ? "+" + v : Long.toString(v);
        case 2:
          String digits = Long.toString(Math.abs(v));
          return v == Long.MIN_VALUE ? Long.toString(v) : (v < 0 ? "-" : "") + digits.replaceAll("(\\d)(?=(\\d{3})+$)", "$1_");
        default:
          return Long.toString(v);
      }
    }

    private String aDouble() {
      int kind = random.nextInt(8);
      double v;
      if (kind == 0) {
        v = Double.longBitsToDouble(random.nextLong());
      } else if (kind == 1) {
        v = pickDouble(0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1e-4);
      } else {
        v = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(20) - 10);
      }
      return floating(v);
    }

    private double pickDouble(double... options) {
      return options[random.nextInt(options.length)];
    }

    /** A float spelled as Java prints it, exactly in plain decimal, or as an int when it is one. */
    private String floating(double v) {
      if (Double.isNaN(v)) {
        return "nan";
      }
      if (Double.isInfinite(v)) {
        return v > 0 ? pick("inf", "+inf") : "-inf";
      }
      switch (random.nextInt(3)) {
        case 0:
          return new BigDecimal(v).toString().replace("E+", "e").replace("E", "e").replaceFirst("^(-?\\d+)$", "$1.0")
              + (v == 0 && 1 / v < 0 ? "" : "");
        case 1:
          return Double.toString(v).replace("E", random.nextBoolean() ? "e" : "E");
        default:
          return ValueWriter.formatFloat(v);
      }
    }

    private String aString() {
      String[] pool = {"a", "Z", "0", " ", "'", "\"", "\\", "\n", "\t", "\r", "\u0000", "\u007f", "é", "中", "😀", "\ud800", "#", "%", "@"};
      StringBuilder s = new StringBuilder();
      for (int n = random.nextInt(6); n > 0; n--) {
        s.append(pool[random.nextInt(pool.length)]);
      }
      return quote(s.toString());
    }

    /** A string literal in single or double quotes, sometimes split into adjacent pieces. */
    private String quote(String s) {
      if (s.length() > 1 && random.nextInt(3) == 0) {
        int cut = 1 + random.nextInt(s.length() - 1);
        if (!Character.isLowSurrogate(s.charAt(cut))) {
          return quote(s.substring(0, cut)) + " " + quote(s.substring(cut));
        }
      }
      String single = ValueWriter.quote(s);
      if (random.nextBoolean()) {
        return single;
      }
      String body = single.substring(1, single.length() - 1).replace("\\'", "'").replace("\"", "\\\"");
      return "\"" + body + "\"";
    }

    private String list(java.util.function.Supplier<String> item) {
      List<String> items = new ArrayList<>();
      for (int n = random.nextInt(4); n > 0; n--) {
        items.add(item.get());
      }
      boolean tuple = random.nextBoolean();
      String sep = random.nextBoolean() ? ", " : ",\n    ";
      String body = String.join(sep, items);
      if (tuple) {
        return "(" + body + (items.size() == 1 || random.nextBoolean() && !items.isEmpty() ? "," : "") + ")";
      }
      return "[" + body + (random.nextBoolean() && !items.isEmpty() ? "," : "") + "]";
    }

    private String dict(Function<Integer, String> key, java.util.function.Supplier<String> value) {
      List<String> entries = new ArrayList<>();
      for (int i = random.nextInt(4); i > 0; i--) {
        entries.add(key.apply(i) + ": " + value.get());
      }
      return "{" + String.join(", ", entries) + "}";
    }

    private String anything() {
      switch (random.nextInt(6)) {
        case 0:
          return list(this::anything);
        case 1:
          return dict(i -> quote("k" + i), this::anything);
        case 2:
          return "@" + scopePrefix() + "Momentum()";
        case 3:
          return aDouble();
        case 4:
          return aString();
        default:
          return pick("None", "True", anInt());
      }
    }
  }
}
