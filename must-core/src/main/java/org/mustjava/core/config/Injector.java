package org.mustjava.core.config;

import com.google.common.collect.MapMaker;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentMap;
import org.mustjava.core.config.ConfigValue.DictValue;
import org.mustjava.core.config.ConfigValue.Entry;
import org.mustjava.core.config.ConfigValue.ListValue;
import org.mustjava.core.config.ConfigValue.MacroValue;
import org.mustjava.core.config.ConfigValue.NoneValue;
import org.mustjava.core.config.ConfigValue.ReferenceValue;
import org.mustjava.core.config.ConfigValue.RequiredValue;
import org.mustjava.core.config.ConfigValue.TupleValue;

/**
 * Creates configured objects for one run and records what the run used.
 *
 * <p>Where a parameter's value comes from, first match wins:
 * <ol>
 *   <li>an explicit value passed by the Java caller ({@link #create(Class, String, Map)},
 *       {@link ConfigurableReference#call(Map)});
 *   <li>the binding for the active scope, else for the nearest enclosing scope, else the root one;
 *   <li>the parameter's {@link Default};
 *   <li>None, for an {@code Optional} parameter;
 *   <li>otherwise a {@link ConfigException} ("no value for ...").
 * </ol>
 *
 * <p>{@code @Name()} calls Name anew each time a value containing it is evaluated (use the built-in
 * {@link Singleton} to share one object). {@code @Name} gives a {@link ConfigurableReference}.
 *
 * <p>The injector records, per configurable and scope, every parameter value taken from a binding
 * or default (caller-passed values are not recorded: the code passes them again), which {@link
 * #operativeConfig()} prints; bindings never read are {@link #unusedBindings()}. It also keeps, per
 * object it created, what that one creation used ({@link #operativeConfigOf(Object)}): everything
 * recorded while the object's own call ran, its nested calls and references included. Stages use
 * it as the config part of their cache fingerprint. A configurable that
 * returns a number, boolean or map of named numbers (a value derived from its parameters, e.g. loss
 * weights) has its result printed as a comment of its block, so the operative config shows what it
 * computed.
 *
 * <p>Thread-safe: objects may be created from several threads.
 */
public final class Injector {
  private final Config config;
  private final ConfigRegistry registry;
  /** (scope, configurable) -> parameter -> value as config text. */
  private final Map<CallKey, TreeMap<String, String>> used = new LinkedHashMap<>();
  /** (scope, configurable) -> the numbers, booleans, maps of numbers it returned, as config text. */
  private final Map<CallKey, java.util.TreeSet<String>> returned = new LinkedHashMap<>();
  private final Set<BindingKey> usedBindings = new HashSet<>();
  private final Map<ConfigurableReference<?>, Optional<Object>> singletons = new HashMap<>();
  private final ThreadLocal<Deque<String>> callStack = ThreadLocal.withInitial(ArrayDeque::new);
  /** Per thread, one recording per call in progress (innermost first); {@link #record} feeds them all. */
  private final ThreadLocal<Deque<Map<CallKey, TreeMap<String, ConfigValue>>>> recordings = ThreadLocal.withInitial(ArrayDeque::new);
  /** Created object (by identity, weakly held) -> what its creation used. */
  private final ConcurrentMap<Object, OperativeConfig> createdWith = new MapMaker().weakKeys().makeMap();

  /** A configurable called in a scope: one group of the operative config. */
  record CallKey(String scope, ConfigurableInfo configurable) {}

  public Injector(Config config) {
    this.config = config;
    this.registry = config.registry();
  }

  public Config config() {
    return config;
  }

  /** Creates a {@code type} (see {@link ConfigRegistry#forClass}) in the root scope. */
  public <T> T create(Class<T> type) {
    return create(type, "", Map.of());
  }

  /** Creates a {@code type} in {@code scope} ("a/b"). */
  public <T> T create(Class<T> type, String scope) {
    return create(type, scope, Map.of());
  }

  /** Creates a {@code type} in {@code scope}; {@code explicit} values win over bindings. */
  public <T> T create(Class<T> type, String scope, Map<String, ?> explicit) {
    ConfigurableInfo info = registry.forClass(type);
    return type.cast(invoke(info, Scopes.validate(scope), explicit, null));
  }

  /** Calls the configurable {@code name} (as configs write it) in {@code scope}. */
  public Object call(String name, String scope, Map<String, ?> explicit) {
    return invoke(registry.resolve(name, null), Scopes.validate(scope), explicit, null);
  }

  /** A reference to configurable {@code name} in {@code scope}, as {@code @scope/name} would give. */
  public <T> ConfigurableReference<T> reference(String name, String scope, Class<T> resultType) {
    ConfigurableInfo info = registry.resolve(name, null);
    if (!Types.box(resultType).isAssignableFrom(Types.box(info.resultClass())) && !info.resultClass().isAssignableFrom(resultType)) {
      throw new IllegalArgumentException(name + " returns " + info.resultClass().getName() + ", not " + resultType.getName());
    }
    String s = Scopes.validate(scope);
    preRecord(s, info, new HashSet<>());
    return new ConfigurableReference<>(this, info, s, null);
  }

  /** Calls a configurable: the heart of the injector. {@code callSite} is the reference's position (null from Java). */
  Object invoke(ConfigurableInfo info, String scope, Map<String, ?> explicit, Position callSite) {
    String frame = Scopes.prefix(scope) + registry.displayName(info);
    Deque<String> stack = callStack.get();
    if (stack.contains(frame)) {
      List<String> chain = new ArrayList<>(stack);
      Collections.reverse(chain);
      chain = chain.subList(chain.indexOf(frame), chain.size());
      throw new ConfigException(callSite, "reference cycle: " + String.join(" -> ", chain) + " -> " + frame);
    }
    // Callers may name parameters in Java or config spelling.
    Map<String, Object> given = new HashMap<>();
    for (Map.Entry<String, ?> e : explicit.entrySet()) {
      ParameterInfo p = info.parameter(e.getKey());
      if (p == null) {
        throw new IllegalArgumentException("explicit value for unknown parameter '" + e.getKey() + "' of " + frame
            + " (its parameters: " + String.join(", ", info.parameters().keySet()) + ")");
      }
      given.put(p.name(), e.getValue());
    }
    stack.push(frame);
    Deque<Map<CallKey, TreeMap<String, ConfigValue>>> open = recordings.get();
    Map<CallKey, TreeMap<String, ConfigValue>> recording = new LinkedHashMap<>();
    open.push(recording);
    try {
      Object[] args = new Object[info.parameters().size()];
      TreeMap<String, ConfigValue> values = new TreeMap<>();
      for (ParameterInfo p : info.parameters().values()) {
        if (given.containsKey(p.name())) {
          args[p.index()] = checkExplicit(given.get(p.name()), p, frame);
          continue;
        }
        String what = frame + "." + p.name();
        if (p.denylisted()) {
          throw new ConfigException(callSite, "no value for " + what + ": the caller must pass it (it is denylisted for configs)");
        }
        Optional<ResolvedBinding> binding = config.lookup(scope, info, p.name());
        ConfigValue value;
        Position origin;
        if (binding.isPresent()) {
          markUsed(binding.get().key());
          value = binding.get().statement().value();
          origin = binding.get().statement().position();
          what = binding.get().describe(registry);
        } else if (p.defaultValue() != null) {
          value = p.defaultValue();
          origin = callSite;
        } else if (p.isOptional()) {
          value = new NoneValue(null);
          origin = callSite;
        } else {
          throw new ConfigException(callSite, "no value for " + what + ": bind it ('" + what + " = ...')"
              + " or give the parameter a @Default");
        }
        values.put(p.name(), resolveMacros(value));
        args[p.index()] = evaluate(value, p.type(), scope, what, origin, null);
      }
      record(scope, info, values);
      try {
        Object created = info.invoke(args);
        if (created != null) {
          // The first creation wins: a singleton handed out again keeps what built it.
          createdWith.computeIfAbsent(created, o -> new OperativeConfig(registry, recording));
        }
        if (given.isEmpty()) {
          recordResult(scope, info, created);
        }
        return created;
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof ConfigException ce) {
          throw ce;
        }
        if (cause instanceof IllegalArgumentException) {
          // A constructor rejecting its arguments is a configuration error, reported where it was called.
          throw new ConfigException(List.of(Diagnostic.error(callSite, frame + " rejected its configuration: " + cause.getMessage())), cause);
        }
        if (cause instanceof RuntimeException re) {
          throw re;
        }
        if (cause instanceof Error err) {
          throw err;
        }
        throw new IllegalStateException("calling " + frame + " failed: " + cause, cause);
      }
    } finally {
      open.pop();
      stack.pop();
    }
  }

  /**
   * The error for a macro defined as {@code NAME = %REQUIRED} that a needed binding reads: names the
   * macro and where it is defined, quotes its documentation (the comment lines directly above the
   * definition, e.g. the command that makes a data set) and says how to bind it.
   */
  private static String requiredMacro(Statement.MacroDefinition definition, Class<?> expected, String neededBy) {
    Position at = definition.position();
    String doc = macroDocumentation(at);
    String example = expected == String.class ? "'...'" : "...";
    return definition.name() + " is required but was never set (" + at.source().name() + ":" + at.line() + ")"
        + (doc.isEmpty() ? "" : ": " + doc)
        + "; bind it with --binding \"" + definition.name() + " = " + example + "\" (needed by " + neededBy + ")";
  }

  /** The comment block directly above line {@code at} (no blank line between), '#' stripped, lines joined. */
  static String macroDocumentation(Position at) {
    Deque<String> lines = new ArrayDeque<>();
    for (int n = at.line() - 1; n >= 1; n--) {
      String line = at.source().line(n).strip();
      if (!line.startsWith("#")) break;
      lines.addFirst(line.replaceFirst("^#+\\s?", "").strip());
    }
    String doc = String.join(" ", lines).strip();
    return doc.endsWith(".") ? doc.substring(0, doc.length() - 1) : doc; // the message goes on after it
  }

  private static Object checkExplicit(Object value, ParameterInfo p, String frame) {
    Class<?> raw = p.rawType();
    if (value == null ? raw.isPrimitive() : !Types.box(raw).isInstance(value)) {
      throw new IllegalArgumentException("explicit value for " + frame + "." + p.name() + " must be a " + raw.getName()
          + ", got " + (value == null ? "null" : value.getClass().getName()));
    }
    return value;
  }

  private synchronized void markUsed(BindingKey key) {
    usedBindings.add(key);
  }

  private synchronized void recordResult(String scope, ConfigurableInfo info, Object result) {
    String text = null;
    if (result instanceof Double || result instanceof Float) {
      text = ValueWriter.formatFloat(((Number) result).doubleValue());
    } else if (result instanceof Number) {
      text = result.toString();
    } else if (result instanceof Boolean b) {
      text = b ? "True" : "False";
    } else if (result instanceof Map<?, ?> m && !m.isEmpty()
        && m.entrySet().stream().allMatch(e -> e.getKey() instanceof String && e.getValue() instanceof Number)) {
      // A map of named numbers, e.g. computed loss weights; in the map's own order.
      StringBuilder b = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (b.length() > 1) b.append(", ");
        Number n = (Number) e.getValue();
        b.append('\'').append(e.getKey()).append("': ").append(n instanceof Double || n instanceof Float
            ? ValueWriter.formatFloat(n.doubleValue()) : n.toString());
      }
      text = b.append('}').toString();
    }
    if (text != null) {
      returned.computeIfAbsent(new CallKey(scope, info), k -> new java.util.TreeSet<>()).add(text);
    }
  }

  private void record(String scope, ConfigurableInfo info, Map<String, ConfigValue> values) {
    CallKey key = new CallKey(scope, info);
    for (Map<CallKey, TreeMap<String, ConfigValue>> r : recordings.get()) {
      r.computeIfAbsent(key, k -> new TreeMap<>()).putAll(values);
    }
    TreeMap<String, String> text = new TreeMap<>();
    values.forEach((name, value) -> text.put(name, ValueWriter.write(value)));
    synchronized (this) {
      used.computeIfAbsent(key, k -> new TreeMap<>()).putAll(text);
    }
  }

  /**
   * Evaluates a config value as a {@code type}.
   *
   * @param what the binding, for messages ({@code teacher/Trainer.steps[2]})
   * @param origin where the binding is written (for %REQUIRED)
   * @param via the macro reference the value came through, or null
   */
  private Object evaluate(ConfigValue value, Type type, String scope, String what, Position origin, MacroValue via) {
    Class<?> raw = Types.raw(type);
    Position at = via != null ? via.position() : value.position();
    String viaNote = via != null ? " (via %" + via.name() + ")" : "";
    if (value instanceof MacroValue m) {
      Statement.MacroDefinition definition = config.macro(m.name());
      if (definition.value() instanceof RequiredValue) {
        throw new ConfigException(origin, requiredMacro(definition, raw, what));
      }
      return evaluate(definition.value(), type, scope, what, origin, via != null ? via : m);
    }
    if (value instanceof RequiredValue r) {
      throw new ConfigException(origin, what + " is required but was never set: it is bound to %REQUIRED at " + r.position() + viaNote
          + "; bind it in a config or with --binding '" + what + " = ...'");
    }
    if (value instanceof NoneValue) {
      if (raw == Optional.class) {
        return Optional.empty();
      }
      if (raw.isPrimitive()) {
        throw new ConfigException(List.of(TypeChecker.mismatch(at, what, type, value, null, viaNote)));
      }
      return null;
    }
    if (raw == Optional.class) {
      return Optional.ofNullable(evaluate(value, Types.argument(type, 0), scope, what, origin, via));
    }
    if (value instanceof ReferenceValue r) {
      ConfigurableInfo target = registry.resolve(r.name(), r.namePosition());
      String childScope = Scopes.join(scope, r.scope());
      if (!r.called()) {
        if (!TypeChecker.acceptsReference(raw)) {
          throw new ConfigException(at, "type mismatch: " + what + " expects " + Types.describe(type) + ", got the reference "
              + ValueWriter.write(r) + viaNote + "; write " + ValueWriter.write(r) + "() to call it");
        }
        preRecord(childScope, target, new HashSet<>());
        return new ConfigurableReference<>(this, target, childScope, r.position());
      }
      Object result = invoke(target, childScope, Map.of(), r.position());
      if (result == null ? raw.isPrimitive() : !Types.box(raw).isInstance(result)) {
        throw new ConfigException(at, "type mismatch: " + what + " expects " + Types.describe(type) + ", but " + ValueWriter.write(r)
            + " returned " + (result == null ? "null" : "a " + result.getClass().getName()) + viaNote);
      }
      return result;
    }
    if (value instanceof ConfigValue.ConstantValue c) {
      if (!TypeChecker.fitsConstant(c, raw)) {
        throw new ConfigException(List.of(TypeChecker.mismatch(at, what, type, value, "a " + c.value().getClass().getName(), viaNote)));
      }
      return c.value();
    }
    if (Scalars.isScalar(value)) {
      try {
        return Scalars.convert(value, raw);
      } catch (Scalars.Mismatch e) {
        throw new ConfigException(List.of(TypeChecker.mismatch(at, what, type, value, e.getMessage(), viaNote)));
      }
    }
    if (value instanceof ListValue || value instanceof TupleValue) {
      List<ConfigValue> items = value instanceof ListValue l ? l.items() : ((TupleValue) value).items();
      if (raw.isArray()) {
        Type component = Types.component(type);
        Object array = Array.newInstance(Types.raw(component), items.size());
        for (int i = 0; i < items.size(); i++) {
          Array.set(array, i, evaluate(items.get(i), component, scope, what + "[" + i + "]", origin, via));
        }
        return array;
      }
      if (raw == Object.class || TypeChecker.acceptsList(raw)) {
        Type element = raw == Object.class ? Object.class : Types.argument(type, 0);
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
          out.add(evaluate(items.get(i), element, scope, what + "[" + i + "]", origin, via));
        }
        if (raw != Object.class && !raw.isAssignableFrom(ArrayList.class)) {
          return Collections.unmodifiableSet(new LinkedHashSet<>(out));
        }
        return Collections.unmodifiableList(out);
      }
      throw new ConfigException(List.of(TypeChecker.mismatch(at, what, type, value, null, viaNote)));
    }
    if (value instanceof DictValue d) {
      if (raw != Object.class && !raw.isAssignableFrom(LinkedHashMap.class)) {
        throw new ConfigException(List.of(TypeChecker.mismatch(at, what, type, value, null, viaNote)));
      }
      Map<Object, Object> out = new LinkedHashMap<>();
      for (Entry e : d.entries()) {
        String key = ValueWriter.write(e.key());
        Object k = evaluate(e.key(), Types.argument(type, 0), scope, what + " key " + key, origin, via);
        if (out.containsKey(k)) {
          throw new ConfigException(e.key().position(), "dict keys " + key + " collide when converted for " + what);
        }
        out.put(k, evaluate(e.value(), Types.argument(type, 1), scope, what + "[" + key + "]", origin, via));
      }
      return Collections.unmodifiableMap(out);
    }
    throw new IllegalStateException("unexpected value " + value);
  }

  /**
   * Records, without calling anything, the parameters a referenced (not called) configurable will
   * use, and those of the references inside them: the operative config then shows factories'
   * settings even when a run (or a dry run) never calls them.
   */
  private void preRecord(String scope, ConfigurableInfo info, Set<CallKey> visiting) {
    CallKey key = new CallKey(scope, info);
    if (!visiting.add(key)) {
      return;
    }
    TreeMap<String, ConfigValue> values = new TreeMap<>();
    List<ConfigValue> nested = new ArrayList<>();
    for (ParameterInfo p : info.parameters().values()) {
      if (p.denylisted()) {
        continue;
      }
      Optional<ResolvedBinding> binding = config.lookup(scope, info, p.name());
      ConfigValue value = binding.isPresent() ? binding.get().statement().value() : p.defaultValue();
      if (value == null && p.isOptional()) {
        value = new NoneValue(null);
      }
      if (value == null || containsRequired(value)) {
        continue; // Left for the call (perhaps with a caller value) to resolve or to report.
      }
      binding.ifPresent(b -> markUsed(b.key()));
      ConfigValue resolved = resolveMacros(value);
      values.put(p.name(), resolved);
      nested.add(resolved);
    }
    record(scope, info, values);
    for (ConfigValue v : nested) {
      for (ReferenceValue r : references(v, new ArrayList<>())) {
        preRecord(Scopes.join(scope, r.scope()), registry.resolve(r.name(), r.namePosition()), visiting);
      }
    }
  }

  private boolean containsRequired(ConfigValue v) {
    if (v instanceof RequiredValue) {
      return true;
    }
    if (v instanceof MacroValue m) {
      return containsRequired(config.macro(m.name()).value());
    }
    if (v instanceof ListValue l) {
      return l.items().stream().anyMatch(this::containsRequired);
    }
    if (v instanceof TupleValue t) {
      return t.items().stream().anyMatch(this::containsRequired);
    }
    if (v instanceof DictValue d) {
      return d.entries().stream().anyMatch(e -> containsRequired(e.value()));
    }
    return false;
  }

  private static List<ReferenceValue> references(ConfigValue v, List<ReferenceValue> out) {
    if (v instanceof ReferenceValue r) {
      out.add(r);
    } else if (v instanceof ListValue l) {
      l.items().forEach(x -> references(x, out));
    } else if (v instanceof TupleValue t) {
      t.items().forEach(x -> references(x, out));
    } else if (v instanceof DictValue d) {
      d.entries().forEach(e -> references(e.value(), out));
    }
    return out;
  }

  /** The value with every macro replaced by its definition (recursively). */
  private ConfigValue resolveMacros(ConfigValue v) {
    if (v instanceof MacroValue m) {
      return resolveMacros(config.macro(m.name()).value());
    }
    if (v instanceof ListValue l) {
      return new ListValue(l.items().stream().map(this::resolveMacros).toList(), l.position());
    }
    if (v instanceof TupleValue t) {
      return new TupleValue(t.items().stream().map(this::resolveMacros).toList(), t.position());
    }
    if (v instanceof DictValue d) {
      List<Entry> entries = new ArrayList<>();
      for (Entry e : d.entries()) {
        entries.add(new Entry(e.key(), resolveMacros(e.value())));
      }
      return new DictValue(entries, d.position());
    }
    return v;
  }

  /** The cached object of a singleton reference (see {@link Singleton}). */
  Object singleton(ConfigurableReference<?> reference) {
    synchronized (singletons) {
      Optional<Object> cached = singletons.get(reference);
      if (cached != null) {
        return cached.orElse(null);
      }
    }
    Object created = reference.call();
    synchronized (singletons) {
      // Another thread may have won the race; keep the first object so every user shares it.
      return singletons.computeIfAbsent(reference, r -> Optional.ofNullable(created)).orElse(null);
    }
  }

  /**
   * The operative config: every configurable called (or referenced) so far, per scope, with every
   * parameter value it used, in config syntax. Feeding it back and repeating the same construction
   * gives the same operative config.
   */
  public synchronized String operativeConfig() {
    return OperativeConfigWriter.write(registry, used, returned);
  }

  /**
   * What creating {@code object} used, if this injector created it: every configurable called or
   * referenced during that call (nested ones included) with the parameter values it took from
   * bindings and defaults, in the operative config's format. Unlike {@link #operativeConfig()} it
   * leaves out what other objects used, so a binding read only by a sibling does not appear.
   * Configurables the object calls later through a reference are included as far as the reference
   * itself records them (their bindings, not values a caller passes). Empty for objects built in
   * Java.
   */
  public Optional<OperativeConfig> operativeConfigOf(Object object) {
    return Optional.ofNullable(createdWith.get(object));
  }

  /** Warnings for effective bindings that nothing read so far (typos in scopes, dead settings). */
  public synchronized List<Diagnostic> unusedBindings() {
    List<Diagnostic> out = new ArrayList<>();
    for (ResolvedBinding b : config.bindings().values()) {
      if (!usedBindings.contains(b.key())) {
        out.add(Diagnostic.warning(b.statement().position(), "binding " + b.describe(registry) + " was never used"));
      }
    }
    return out;
  }
}
