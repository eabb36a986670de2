package org.mustjava.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mustjava.core.config.ConfigValue.DictValue;
import org.mustjava.core.config.ConfigValue.Entry;
import org.mustjava.core.config.ConfigValue.ListValue;
import org.mustjava.core.config.ConfigValue.MacroValue;
import org.mustjava.core.config.ConfigValue.ReferenceValue;
import org.mustjava.core.config.ConfigValue.TupleValue;

/**
 * Reads config files, strings and command-line bindings, in order, into one {@link Config},
 * validated against a {@link ConfigRegistry}.
 *
 * <pre>{@code
 * Config config = new ConfigLoader(registry)
 *     .addSearchPath(Path.of("experiments"))
 *     .parseFile(Path.of("experiments/mini/hello.conf"))
 *     .parseBinding("PrintConfig.greeting = 'hi'")   // reported as <binding 1>:1:COL
 *     .build();
 * }</pre>
 *
 * <p>Syntax errors (all of a source's together), missing includes and include cycles throw at once;
 * name and type errors are collected and thrown together by {@link #build()}. A macro that no
 * config defines may name a constant that a {@link ConfigurableModule} registered
 * ({@code %module.NAME}, {@code %Enum.MEMBER}). {@code include 'p'} resolves {@code p}
 * relative to the including file first, then against each search path in order (a binding string
 * resolves against the working directory first).
 */
public final class ConfigLoader {
  private final ConfigRegistry registry;
  private final List<Path> searchPath = new ArrayList<>();
  private final List<Path> includeStack = new ArrayList<>();
  private final List<ResolvedBinding> allBindings = new ArrayList<>();
  private final Map<BindingKey, ResolvedBinding> bindings = new LinkedHashMap<>();
  private final Map<String, Statement.MacroDefinition> macros = new LinkedHashMap<>();
  private final List<Statement.MacroDefinition> allMacros = new ArrayList<>();
  private final List<Diagnostic> errors = new ArrayList<>();
  private final List<Diagnostic> notes = new ArrayList<>();
  private int bindingCount;

  public ConfigLoader(ConfigRegistry registry) {
    this.registry = registry;
  }

  /** Adds a directory that includes not found next to their includer are looked up in. */
  public ConfigLoader addSearchPath(Path dir) {
    searchPath.add(dir);
    return this;
  }

  /** Parses a file (UTF-8) named on the command line; its positions print the path as given. */
  public ConfigLoader parseFile(Path file) {
    String text = read(file, null, file.toString());
    Path real;
    try {
      real = file.toRealPath();
    } catch (IOException e) {
      throw new ConfigException(null, "cannot read config file '" + file + "': " + e);
    }
    includeStack.add(real);
    try {
      parseSource(new Source(file.toString(), file, text, null));
    } finally {
      includeStack.remove(includeStack.size() - 1);
    }
    return this;
  }

  /** Parses config text that is not a file (tests, generated configs); includes resolve against the search path. */
  public ConfigLoader parseString(String name, String text) {
    parseSource(Source.ofString(name, text));
    return this;
  }

  /** Parses one command-line {@code --binding}; it is named {@code <binding N>} (N counts from 1). */
  public ConfigLoader parseBinding(String binding) {
    bindingCount++;
    parseSource(Source.ofString("<binding " + bindingCount + ">", binding));
    return this;
  }

  /**
   * Finishes validation (undefined macros, macro cycles, reference names, types) and returns the
   * config.
   *
   * @throws ConfigException with every error found while loading
   */
  public Config build() {
    List<Diagnostic> all = new ArrayList<>(errors);
    checkNamesInValues(all);
    checkMacroCycles(all);
    TypeChecker checker = new TypeChecker(registry, macros);
    for (ResolvedBinding b : allBindings) {
      checker.check(b.statement().value(), b.parameter().type(), b.describe(registry), all);
    }
    checkDefaults(all);
    if (!all.isEmpty()) {
      throw new ConfigException(dedupe(all));
    }
    return new Config(registry, bindings, macros, notes);
  }

  private static List<Diagnostic> dedupe(List<Diagnostic> diagnostics) {
    Set<String> seen = new LinkedHashSet<>();
    List<Diagnostic> out = new ArrayList<>();
    for (Diagnostic d : diagnostics) {
      if (seen.add(d.format())) {
        out.add(d);
      }
    }
    return out;
  }

  private String read(Path file, Position includedFrom, String name) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(includedFrom, "config file '" + name + "' is not valid UTF-8");
    } catch (IOException e) {
      throw new ConfigException(includedFrom, "cannot read config file '" + name + "': "
          + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString()));
    }
  }

  private void parseSource(Source source) {
    List<Statement> statements = Parser.parseStatements(source);
    for (Statement s : statements) {
      if (s instanceof Statement.Binding b) {
        bind(b);
      } else if (s instanceof Statement.MacroDefinition m) {
        macros.remove(m.name()); // Re-insert so the map's order is the definition order that counts.
        macros.put(m.name(), m);
        allMacros.add(m);
      } else if (s instanceof Statement.Include inc) {
        include(source, inc);
      } else if (s instanceof Statement.Import imp) {
        notes.add(Diagnostic.note(imp.position(), "'" + imp.text() + "' ignored: Java configurables are registered by ConfigurableModules, not imported"));
      }
    }
  }

  private void bind(Statement.Binding b) {
    ConfigurableInfo info;
    try {
      info = registry.resolve(b.name(), b.namePosition());
    } catch (ConfigException e) {
      errors.addAll(e.diagnostics());
      return;
    }
    ParameterInfo param = info.parameter(b.param());
    String name = registry.displayName(info);
    if (param == null) {
      String hint = DidYouMean.suggest(b.param(), info.parameters().keySet());
      if (hint.isEmpty()) {
        hint = info.parameters().isEmpty() ? " (it has no parameters)"
            : " (its parameters: " + String.join(", ", info.parameters().keySet()) + ")";
      }
      errors.add(Diagnostic.error(b.paramPosition(), "unknown parameter '" + b.param() + "' of " + name + hint));
      return;
    }
    if (param.denylisted()) {
      errors.add(Diagnostic.error(b.paramPosition(), "parameter '" + b.param() + "' of " + name
          + " cannot be bound in configs: it is denylisted (the Java caller passes it)"));
      return;
    }
    BindingKey key = new BindingKey(b.scope(), info.fullName(), param.name());
    ResolvedBinding resolved = new ResolvedBinding(key, b, info, param);
    allBindings.add(resolved);
    bindings.remove(key);
    bindings.put(key, resolved);
  }

  private void include(Source from, Statement.Include inc) {
    List<Path> candidates = new ArrayList<>();
    Path requested = Path.of(inc.path());
    if (requested.isAbsolute()) {
      candidates.add(requested);
    } else {
      if (from.path().isPresent()) {
        Path dir = from.path().get().getParent();
        candidates.add(dir == null ? requested : dir.resolve(requested));
      } else {
        candidates.add(requested);
      }
      for (Path dir : searchPath) {
        candidates.add(dir.resolve(requested));
      }
    }
    Path found = null;
    for (Path c : candidates) {
      if (Files.isRegularFile(c)) {
        found = c.normalize();
        break;
      }
    }
    if (found == null) {
      List<String> tried = new ArrayList<>();
      for (Path c : candidates) {
        tried.add(c.normalize().toString());
      }
      throw new ConfigException(inc.pathPosition(), "cannot find included file '" + inc.path() + "' (looked for " + String.join(", ", tried) + ")");
    }
    Path real;
    try {
      real = found.toRealPath();
    } catch (IOException e) {
      throw new ConfigException(inc.pathPosition(), "cannot read included file '" + found + "': " + e);
    }
    int cycleStart = includeStack.indexOf(real);
    if (cycleStart >= 0) {
      List<String> chain = new ArrayList<>();
      for (Position p = inc.position(); p != null; p = p.source().includedFrom()) {
        chain.add(0, p.source().name());
      }
      chain.add(found.toString());
      throw new ConfigException(inc.pathPosition(), "include cycle: " + String.join(" -> ", chain));
    }
    String text = read(found, inc.pathPosition(), found.toString());
    includeStack.add(real);
    try {
      parseSource(new Source(found.toString(), found, text, inc.position()));
    } finally {
      includeStack.remove(includeStack.size() - 1);
    }
  }

  /** Undefined macros and unresolvable reference names anywhere in a value, bound or not. */
  private void checkNamesInValues(List<Diagnostic> out) {
    for (ResolvedBinding b : allBindings) {
      checkNames(b.statement().value(), out);
    }
    for (Statement.MacroDefinition m : allMacros) {
      checkNames(m.value(), out);
    }
  }

  private void checkNames(ConfigValue v, List<Diagnostic> out) {
    if (v instanceof MacroValue m) {
      if (!macros.containsKey(m.name())) {
        resolveConstant(m, out);
      }
    } else if (v instanceof ReferenceValue r) {
      try {
        registry.resolve(r.name(), r.namePosition());
      } catch (ConfigException e) {
        out.addAll(e.diagnostics());
      }
    } else if (v instanceof ListValue l) {
      l.items().forEach(x -> checkNames(x, out));
    } else if (v instanceof TupleValue t) {
      t.items().forEach(x -> checkNames(x, out));
    } else if (v instanceof DictValue d) {
      for (Entry e : d.entries()) {
        checkNames(e.value(), out);
      }
    }
  }

  /**
   * A macro that no config defines names a constant a module registered ({@code %NAME},
   * {@code %module.NAME}, {@code %Enum.MEMBER}): it is added to the macros as that constant's value.
   */
  private void resolveConstant(MacroValue m, List<Diagnostic> out) {
    List<String> found = registry.matchingConstants(m.name());
    if (found.size() == 1) {
      macros.put(m.name(), new Statement.MacroDefinition(m.name(), registry.constant(found.get(0)), m.position()));
      return;
    }
    if (found.size() > 1) {
      out.add(Diagnostic.error(m.position(), "ambiguous constant %" + m.name() + ": it matches " + String.join(" and ", found)
          + "; qualify it with (the end of) its module"));
      return;
    }
    Set<String> candidates = new java.util.TreeSet<>(registry.constantNameForms(m.name()));
    if (m.name().indexOf('.') < 0) {
      candidates.addAll(macros.keySet());
      String hint = DidYouMean.suggest(m.name(), candidates);
      String tail = m.name().substring(m.name().lastIndexOf('/') + 1);
      List<String> sameName = macros.keySet().stream().filter(k -> k.equals(tail) || k.endsWith("/" + tail)).toList();
      if (hint.isEmpty() && !sameName.isEmpty()) {
        hint = " (defined as %" + String.join(", %", sameName) + ": a scoped macro is named with its scope)";
      }
      out.add(Diagnostic.error(m.position(), "undefined macro %" + m.name() + hint));
    } else {
      String hint = DidYouMean.suggest(m.name(), candidates);
      out.add(Diagnostic.error(m.position(), "unknown constant %" + m.name() + (hint.isEmpty()
          ? ": no ConfigurableModule registers it (Java constants are listed by a module's constants(); enum members are"
              + " %Enum.MEMBER for enums a module lists in enums() or a configurable parameter takes)"
          : hint)));
    }
  }

  private void checkMacroCycles(List<Diagnostic> out) {
    Set<String> reported = new LinkedHashSet<>();
    for (Statement.MacroDefinition m : macros.values()) {
      List<String> path = new ArrayList<>();
      path.add(m.name());
      List<String> cycle = findCycle(m.value(), m.name(), path);
      if (cycle != null && reported.add(m.name())) {
        reported.addAll(cycle);
        out.add(Diagnostic.error(m.position(), "macro cycle: %" + String.join(" -> %", cycle)));
      }
    }
  }

  private List<String> findCycle(ConfigValue v, String start, List<String> path) {
    if (v instanceof MacroValue m) {
      if (m.name().equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      Statement.MacroDefinition def = macros.get(m.name());
      if (def == null || path.contains(m.name())) {
        return null;
      }
      path.add(m.name());
      List<String> found = findCycle(def.value(), start, path);
      path.remove(path.size() - 1);
      return found;
    }
    List<ConfigValue> children = new ArrayList<>();
    if (v instanceof ListValue l) {
      children.addAll(l.items());
    } else if (v instanceof TupleValue t) {
      children.addAll(t.items());
    } else if (v instanceof DictValue d) {
      d.entries().forEach(e -> children.add(e.value()));
    }
    for (ConfigValue c : children) {
      List<String> found = findCycle(c, start, path);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** References in {@code @Default}s can only be checked once every configurable is registered. */
  private void checkDefaults(List<Diagnostic> out) {
    TypeChecker checker = new TypeChecker(registry, null);
    for (ConfigurableInfo info : registry.configurables()) {
      for (ParameterInfo p : info.parameters().values()) {
        if (p.defaultValue() != null) {
          checkNames(p.defaultValue(), out);
          checker.check(p.defaultValue(), p.type(), registry.displayName(info) + "." + p.name(), out);
        }
      }
    }
  }
}
