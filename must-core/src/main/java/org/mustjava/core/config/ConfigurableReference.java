package org.mustjava.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What {@code @Name} (without parentheses) evaluates to: the configurable itself, bound to the
 * scope it was referenced in, for Java code to call later, any number of times (an optimizer or
 * learning-rate factory, a model builder). Each {@link #call} creates a new object with the
 * config's bindings for that scope; explicit values passed to {@link #call(Map)} win over them.
 *
 * <p>Scope: {@code @b/Name} evaluated while scope {@code a} is active calls Name in scope
 * {@code a/b}, whenever and wherever Java code later calls it (lexical, not dynamic, scoping).
 *
 * @param <T> the configurable's result type
 */
public final class ConfigurableReference<T> implements Supplier<T> {
  private final Injector injector;
  private final ConfigurableInfo configurable;
  private final String scope;
  private final Position position;

  ConfigurableReference(Injector injector, ConfigurableInfo configurable, String scope, Position position) {
    this.injector = injector;
    this.configurable = configurable;
    this.scope = scope;
    this.position = position;
  }

  /** The referenced configurable. */
  public ConfigurableInfo configurable() {
    return configurable;
  }

  /** The scope calls run in ("" = root). */
  public String scope() {
    return scope;
  }

  /** Calls the configurable with the config's bindings. */
  public T call() {
    return call(Map.of());
  }

  /** Calls the configurable; {@code explicit} parameter values win over bindings and defaults. */
  @SuppressWarnings("unchecked")
  public T call(Map<String, ?> explicit) {
    return (T) injector.invoke(configurable, scope, explicit, position);
  }

  /** Same as {@link #call()}. */
  @Override
  public T get() {
    return call();
  }

  /**
   * The one object this reference makes per injector: the first call's result, reused afterwards
   * (what the built-in {@code singleton} configurable returns).
   */
  @SuppressWarnings("unchecked")
  public T singleton() {
    return (T) injector.singleton(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConfigurableReference<?> r && r.injector == injector && r.configurable == configurable && r.scope.equals(scope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(System.identityHashCode(injector), configurable.fullName(), scope);
  }

  /** {@code @scope/Name}, as a config would write it. */
  @Override
  public String toString() {
    return "@" + Scopes.prefix(scope) + injector.config().registry().displayName(configurable);
  }
}
