package org.mustjava.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A registered configurable: a constructor or static factory method with its config name, module,
 * parameters and result type.
 */
public final class ConfigurableInfo {
  private final String name;
  private final String module;
  private final Executable executable;
  private final Map<String, ParameterInfo> parameters = new LinkedHashMap<>();
  private final Map<String, ParameterInfo> byJavaName = new LinkedHashMap<>();

  ConfigurableInfo(String name, String module, Executable executable, List<ParameterInfo> parameters) {
    this.name = name;
    this.module = module;
    this.executable = executable;
    for (ParameterInfo p : parameters) {
      this.parameters.put(p.name(), p);
      this.byJavaName.put(p.javaName(), p);
    }
  }

  /** The name used in configs, e.g. {@code ResNet}. */
  public String name() {
    return name;
  }

  /** The module, e.g. {@code org.mustjava.models.backbones}; "" if none. */
  public String module() {
    return module;
  }

  /** {@code module.name}, unique in a registry. */
  public String fullName() {
    return module.isEmpty() ? name : module + "." + name;
  }

  /** The constructor or static method called. */
  public Executable executable() {
    return executable;
  }

  /** The type a call returns (the class for a constructor, the declared return type of a factory). */
  public Type resultType() {
    return executable instanceof Method m ? m.getGenericReturnType() : executable.getDeclaringClass();
  }

  /** Erased {@link #resultType()}. */
  public Class<?> resultClass() {
    return executable instanceof Method m ? m.getReturnType() : executable.getDeclaringClass();
  }

  /** Parameters in declaration order, by config name. */
  public Map<String, ParameterInfo> parameters() {
    return java.util.Collections.unmodifiableMap(parameters);
  }

  /** The parameter called {@code name} in config spelling ({@code learning_rate}) or Java spelling ({@code learningRate}), or null. */
  public ParameterInfo parameter(String name) {
    ParameterInfo p = parameters.get(name);
    return p != null ? p : byJavaName.get(name);
  }

  /** Calls the constructor/method; a failure inside it comes out as the InvocationTargetException. */
  Object invoke(Object[] args) throws InvocationTargetException {
    try {
      if (executable instanceof Constructor<?> c) {
        return c.newInstance(args);
      }
      return ((Method) executable).invoke(null, args);
    } catch (InstantiationException | IllegalAccessException e) {
      throw new IllegalStateException("cannot call configurable " + fullName() + " (" + executable + "): " + e, e);
    }
  }

  @Override
  public String toString() {
    return fullName();
  }
}
