package org.mustjava.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A loaded and validated configuration: the effective bindings (a later binding of the same
 * scope/configurable/parameter replaces an earlier one) and macros, against a registry. Immutable;
 * made by {@link ConfigLoader}, used by {@link Injector}.
 */
public final class Config {
  private final ConfigRegistry registry;
  private final Map<BindingKey, ResolvedBinding> bindings;
  private final Map<String, Statement.MacroDefinition> macros;
  private final List<Diagnostic> notes;

  Config(ConfigRegistry registry, Map<BindingKey, ResolvedBinding> bindings,
      Map<String, Statement.MacroDefinition> macros, List<Diagnostic> notes) {
    this.registry = registry;
    this.bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings));
    this.macros = Collections.unmodifiableMap(new LinkedHashMap<>(macros));
    this.notes = List.copyOf(notes);
  }

  public ConfigRegistry registry() {
    return registry;
  }

  /** Notes from loading (e.g. ignored {@code import} lines), for the launcher to print. */
  public List<Diagnostic> notes() {
    return notes;
  }

  /** Number of effective bindings. */
  public int bindingCount() {
    return bindings.size();
  }

  Map<BindingKey, ResolvedBinding> bindings() {
    return bindings;
  }

  Statement.MacroDefinition macro(String name) {
    return macros.get(name);
  }

  /** The binding of {@code param} that applies in {@code scope}: the innermost enclosing scope's. */
  Optional<ResolvedBinding> lookup(String scope, ConfigurableInfo configurable, String param) {
    for (String s : Scopes.innermostFirst(scope)) {
      ResolvedBinding b = bindings.get(new BindingKey(s, configurable.fullName(), param));
      if (b != null) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
