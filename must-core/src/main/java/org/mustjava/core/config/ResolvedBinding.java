package org.mustjava.core.config;

/** A binding statement whose names have been resolved against the registry. */
record ResolvedBinding(BindingKey key, Statement.Binding statement, ConfigurableInfo configurable, ParameterInfo parameter) {
  /** The binding as written in configs, e.g. {@code teacher/Trainer.steps}. */
  String describe(ConfigRegistry registry) {
    return Scopes.prefix(key.scope()) + registry.displayName(configurable) + "." + key.param();
  }
}
