package org.mustjava.core.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything a config may name: the {@link Configurable} constructors and static factories of the
 * classes that {@link ConfigurableModule}s list (loaded with {@link ServiceLoader}, no classpath
 * scanning), plus classes registered explicitly (tests).
 *
 * <p>Registration checks the Java side once, so that configs can be validated before anything
 * runs: parameter names must be present ({@code -parameters}), a name may be registered only once
 * per module, {@link Default} values must parse and match their parameter's type, denylisted names
 * must be parameters.
 *
 * <p>Names: a configurable is {@code module.Name}; the module defaults to the Java package. Configs
 * may write the bare {@code Name} when it is unique, or add as many trailing module components as
 * needed ({@code backbones.ResNet}, {@code org.mustjava.models.backbones.ResNet}).
 */
public final class ConfigRegistry {
  private final Map<String, ConfigurableInfo> byFullName = new TreeMap<>();
  private final Map<String, List<ConfigurableInfo>> byName = new HashMap<>();
  private final Set<Class<?>> registeredClasses = new LinkedHashSet<>();
  /** Constants by full name: literal values, or {@link ConfigValue.ConstantValue} for other objects. */
  private final Map<String, ConfigValue> constants = new TreeMap<>();
  private final Set<Class<?>> registeredEnums = new HashSet<>();

  /** A registry holding only the built-ins ({@code singleton}). */
  public ConfigRegistry() {
    register(Singleton.class);
  }

  /** A registry of every {@link ConfigurableModule} visible to the context class loader. */
  public static ConfigRegistry fromServices() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return fromServices(loader != null ? loader : ConfigRegistry.class.getClassLoader());
  }

  /** A registry of every {@link ConfigurableModule} visible to {@code loader}. */
  public static ConfigRegistry fromServices(ClassLoader loader) {
    ConfigRegistry registry = new ConfigRegistry();
    for (ConfigurableModule module : ServiceLoader.load(ConfigurableModule.class, loader)) {
      registry.registerModule(module);
    }
    return registry;
  }

  /** Registers every class, constant and enum a module lists. */
  public synchronized ConfigRegistry registerModule(ConfigurableModule module) {
    List<Runnable> steps = new ArrayList<>();
    for (Class<?> c : module.configurables()) {
      steps.add(() -> register(c));
    }
    module.constants().forEach((name, value) -> steps.add(() -> registerConstant(name, value)));
    for (Class<? extends Enum<?>> e : module.enums()) {
      steps.add(() -> registerEnum(e));
    }
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (ConfigException e) {
        List<Diagnostic> named = new ArrayList<>();
        for (Diagnostic d : e.diagnostics()) {
          named.add(new Diagnostic(d.severity(), d.position(), d.message() + " (listed by " + module.getClass().getName() + ")"));
        }
        throw new ConfigException(named, e);
      }
    }
    return this;
  }

  /** True if {@code c} has been registered. */
  public synchronized boolean isRegistered(Class<?> c) {
    return registeredClasses.contains(c);
  }

  /**
   * Registers the configurables of one class: its {@link Configurable} constructors and static
   * methods, or, if only the class is annotated, its single public constructor. Registering the
   * same class again does nothing.
   *
   * @throws ConfigException on a registration mistake (missing parameter names, a duplicate name,
   *     a bad {@link Default}, ...), naming the class
   */
  public synchronized ConfigRegistry register(Class<?> c) {
    if (registeredClasses.contains(c)) {
      return this;
    }
    List<ConfigurableInfo> found = new ArrayList<>();
    Configurable classAnnotation = c.getAnnotation(Configurable.class);
    if (c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers())) {
      throw registrationError(c.getName() + " is an inner class; configurable nested classes must be static");
    }
    boolean annotatedConstructor = false;
    for (Constructor<?> ctor : c.getDeclaredConstructors()) {
      Configurable a = ctor.getAnnotation(Configurable.class);
      if (a != null) {
        annotatedConstructor = true;
        found.add(describe(ctor, a, classAnnotation, c));
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      Configurable a = m.getAnnotation(Configurable.class);
      if (a == null) {
        continue;
      }
      if (!Modifier.isStatic(m.getModifiers())) {
        throw registrationError(m + " is annotated @Configurable but is not static");
      }
      if (m.getReturnType() == void.class) {
        throw registrationError(m + " is annotated @Configurable but returns void");
      }
      found.add(describe(m, a, null, c));
    }
    if (classAnnotation != null && !annotatedConstructor) {
      // The public constructor; for a package-private class (tests, records) its only constructor.
      List<Constructor<?>> publicConstructors = new ArrayList<>(Arrays.asList(c.getConstructors()));
      if (publicConstructors.isEmpty()) {
        for (Constructor<?> ctor : c.getDeclaredConstructors()) {
          if (!ctor.isSynthetic()) {
            publicConstructors.add(ctor);
          }
        }
      }
      if (Modifier.isAbstract(c.getModifiers()) || c.isInterface()) {
        throw registrationError(c.getName() + " is annotated @Configurable but is abstract; annotate a static factory method instead");
      }
      if (publicConstructors.size() != 1) {
        throw registrationError(c.getName() + " is annotated @Configurable and has " + publicConstructors.size()
            + " candidate constructors; annotate the one configs should call with @Configurable");
      }
      found.add(describe(publicConstructors.get(0), classAnnotation, null, c));
    }
    if (found.isEmpty()) {
      throw registrationError(c.getName() + " is listed as configurable but has no @Configurable class, constructor or static method");
    }
    Map<String, ConfigurableInfo> fresh = new HashMap<>();
    for (ConfigurableInfo info : found) {
      ConfigurableInfo clash = byFullName.containsKey(info.fullName()) ? byFullName.get(info.fullName()) : fresh.get(info.fullName());
      if (clash != null) {
        throw registrationError("configurable name '" + info.name() + "' is registered twice in module '" + info.module()
            + "': by " + clash.executable() + " and by " + info.executable()
            + "; give one of them another name (@Configurable(\"...\")) or another module");
      }
      fresh.put(info.fullName(), info);
    }
    for (ConfigurableInfo info : found) {
      byFullName.put(info.fullName(), info);
      byName.computeIfAbsent(info.name(), k -> new ArrayList<>()).add(info);
    }
    registeredClasses.add(c);
    // Enums that parameters take can be named as %Enum.MEMBER without further registration.
    Set<Class<?>> enums = new LinkedHashSet<>();
    for (ConfigurableInfo info : found) {
      for (ParameterInfo p : info.parameters().values()) {
        collectEnums(p.type(), enums);
      }
    }
    for (Class<?> e : enums) {
      if (e.getCanonicalName() != null) {
        registerEnumClass(e);
      }
    }
    return this;
  }

  private static void collectEnums(java.lang.reflect.Type type, Set<Class<?>> out) {
    if (type instanceof Class<?> c) {
      if (c.isEnum()) {
        out.add(c);
      } else if (c.isArray()) {
        collectEnums(c.getComponentType(), out);
      }
    } else if (type instanceof java.lang.reflect.ParameterizedType p) {
      for (java.lang.reflect.Type a : p.getActualTypeArguments()) {
        collectEnums(a, out);
      }
    } else if (type instanceof java.lang.reflect.WildcardType w) {
      for (java.lang.reflect.Type b : w.getUpperBounds()) {
        collectEnums(b, out);
      }
    } else if (type instanceof java.lang.reflect.GenericArrayType g) {
      collectEnums(g.getGenericComponentType(), out);
    }
  }

  /**
   * Registers a constant that configs name as a macro: {@code %a.b.NAME}, or with fewer leading
   * components as long as that is unambiguous ({@code %NAME}). Numbers, strings, booleans and null
   * are literals; any other object is passed to Java as it is.
   *
   * @throws ConfigException if the name is not dotted identifiers or holds another value already
   */
  public synchronized ConfigRegistry registerConstant(String name, Object value) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw registrationError("constant name '" + name + "' is not a dotted name");
    }
    ConfigValue v = literal(name, value);
    ConfigValue old = constants.get(name);
    if (old != null && !old.equals(v)) {
      throw registrationError("constant '" + name + "' is registered twice, as " + ValueWriter.write(old) + " and as " + ValueWriter.write(v));
    }
    constants.put(name, v);
    return this;
  }

  /** Registers every member of {@code type} as the constant {@code package.Enum.MEMBER}, as gin's constants_from_enum. */
  public synchronized ConfigRegistry registerEnum(Class<? extends Enum<?>> type) {
    if (type.getCanonicalName() == null) {
      throw registrationError(type.getName() + " is a local or anonymous enum; configs cannot name its members");
    }
    return registerEnumClass(type);
  }

  private ConfigRegistry registerEnumClass(Class<?> type) {
    if (registeredEnums.add(type)) {
      for (Object member : type.getEnumConstants()) {
        registerConstant(type.getCanonicalName() + "." + ((Enum<?>) member).name(), member);
      }
    }
    return this;
  }

  private static ConfigValue literal(String name, Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return new ConfigValue.IntValue(((Number) value).longValue(), null);
    }
    if (value instanceof Double || value instanceof Float) {
      return new ConfigValue.FloatValue(((Number) value).doubleValue(), null);
    }
    if (value instanceof String s) {
      return new ConfigValue.StringValue(s, null);
    }
    if (value instanceof Boolean b) {
      return new ConfigValue.BoolValue(b, null);
    }
    if (value == null) {
      return new ConfigValue.NoneValue(null);
    }
    return new ConfigValue.ConstantValue(name, value, null);
  }

  /** Full names of the constants a possibly partly qualified name denotes (several means ambiguous). */
  public synchronized List<String> matchingConstants(String name) {
    List<String> out = new ArrayList<>();
    for (String full : constants.keySet()) {
      if (full.equals(name) || full.endsWith("." + name)) {
        out.add(full);
      }
    }
    return out;
  }

  /** The constant registered under {@code fullName}, or null. */
  synchronized ConfigValue constant(String fullName) {
    return constants.get(fullName);
  }

  /** Every constant's name with as many trailing components as {@code name} has: for suggestions. */
  synchronized Set<String> constantNameForms(String name) {
    int parts = name.split("\\.", -1).length;
    Set<String> forms = new TreeSet<>();
    for (String full : constants.keySet()) {
      String[] split = full.split("\\.");
      if (split.length >= parts) {
        forms.add(String.join(".", Arrays.asList(split).subList(split.length - parts, split.length)));
      }
    }
    return forms;
  }

  private static ConfigException registrationError(String message) {
    return new ConfigException(null, message);
  }

  private ConfigurableInfo describe(Executable e, Configurable a, Configurable classAnnotation, Class<?> c) {
    String name = !a.value().isEmpty() ? a.value()
        : classAnnotation != null && !classAnnotation.value().isEmpty() ? classAnnotation.value()
        : e instanceof Method ? e.getName() : c.getSimpleName();
    String module = !a.module().isEmpty() ? a.module()
        : classAnnotation != null && !classAnnotation.module().isEmpty() ? classAnnotation.module()
        : c.getPackageName();
    if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw registrationError("configurable name '" + name + "' of " + e + " is not an identifier");
    }
    if (!module.isEmpty() && !module.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw registrationError("module '" + module + "' of " + e + " is not a dotted name");
    }
    Set<String> denylist = new HashSet<>(Arrays.asList(a.denylist()));
    if (classAnnotation != null) {
      denylist.addAll(Arrays.asList(classAnnotation.denylist()));
    }
    try {
      e.setAccessible(true);
    } catch (RuntimeException ex) {
      throw registrationError("cannot access " + e + ": " + ex.getMessage());
    }
    String where = module.isEmpty() ? name : module + "." + name;
    List<ParameterInfo> params = new ArrayList<>();
    Parameter[] parameters = e.getParameters();
    java.lang.reflect.Type[] generic = e.getGenericParameterTypes();
    // Constructors of enums/inner classes have synthetic leading parameters; generic types then lag behind.
    int offset = parameters.length - generic.length;
    Set<String> seen = new HashSet<>();
    Map<String, String> configNames = new HashMap<>();
    for (int i = 0; i < parameters.length; i++) {
      Parameter p = parameters[i];
      if (!p.isNamePresent()) {
        throw registrationError("parameter names of " + e + " are missing (found '" + p.getName()
            + "'): compile with javac -parameters (the Maven build does) so configs can bind them by name");
      }
      String configName = ParameterInfo.snakeCase(p.getName());
      String clash = configNames.put(configName, p.getName());
      if (clash != null) {
        throw registrationError("parameters '" + clash + "' and '" + p.getName() + "' of " + e
            + " have the same config name '" + configName + "'; rename one");
      }
      seen.add(p.getName());
      seen.add(configName);
      java.lang.reflect.Type type = i - offset >= 0 ? generic[i - offset] : p.getType();
      Default d = p.getAnnotation(Default.class);
      ConfigValue defaultValue = null;
      if (d != null) {
        defaultValue = parseDefault(d.value(), where + "." + configName, type);
      }
      boolean denied = denylist.contains(p.getName()) || denylist.contains(configName);
      params.add(new ParameterInfo(configName, p.getName(), i, type, defaultValue, denied));
    }
    for (String denied : denylist) {
      if (!seen.contains(denied)) {
        throw registrationError("denylist of " + where + " names '" + denied + "', which is not a parameter of " + e);
      }
    }
    return new ConfigurableInfo(name, module, e, params);
  }

  private static ConfigValue parseDefault(String text, String what, java.lang.reflect.Type type) {
    Source source = Source.ofString("<@Default of " + what + ">", text);
    ConfigValue value = Parser.parseValue(source);
    List<Diagnostic> errors = new ArrayList<>();
    // References are checked when a config is built (they may name configurables registered later).
    new TypeChecker(null, null).check(value, type, what, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return value;
  }

  /** Every registered configurable, by full name. */
  public synchronized Collection<ConfigurableInfo> configurables() {
    return Collections.unmodifiableCollection(new ArrayList<>(byFullName.values()));
  }

  /** Configurables that a possibly module-qualified name matches (several means ambiguous). */
  public synchronized List<ConfigurableInfo> matches(String name) {
    int dot = name.lastIndexOf('.');
    String shortName = name.substring(dot + 1);
    String prefix = dot < 0 ? null : name.substring(0, dot);
    List<ConfigurableInfo> out = new ArrayList<>();
    for (ConfigurableInfo info : byName.getOrDefault(shortName, List.of())) {
      if (prefix == null || info.module().equals(prefix) || info.module().endsWith("." + prefix)) {
        out.add(info);
      }
    }
    return out;
  }

  /**
   * The configurable {@code name} denotes.
   *
   * @param position where the name is written, for the error
   * @throws ConfigException if no configurable or more than one matches, with suggestions
   */
  public ConfigurableInfo resolve(String name, Position position) {
    List<ConfigurableInfo> found = matches(name);
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw new ConfigException(position, "unknown configurable '" + name + "'" + DidYouMean.suggest(name, nameForms(name)));
    }
    List<String> names = new ArrayList<>();
    for (ConfigurableInfo info : found) {
      names.add("'" + info.fullName() + "'");
    }
    Collections.sort(names);
    throw new ConfigException(position, "ambiguous configurable name '" + name + "': it matches " + String.join(" and ", names)
        + "; qualify it with (the end of) its module");
  }

  /** Every configurable's name with as many trailing module components as {@code name} has. */
  private synchronized Set<String> nameForms(String name) {
    int parts = name.split("\\.", -1).length;
    Set<String> forms = new TreeSet<>();
    for (ConfigurableInfo info : byFullName.values()) {
      String[] full = info.fullName().split("\\.");
      if (full.length >= parts) {
        forms.add(String.join(".", Arrays.asList(full).subList(full.length - parts, full.length)));
      }
    }
    return forms;
  }

  /**
   * The configurable whose result is exactly {@code type} (a constructor of it or a factory
   * declared to return it), for {@link Injector#create(Class)}.
   */
  public synchronized ConfigurableInfo forClass(Class<?> type) {
    List<ConfigurableInfo> found = new ArrayList<>();
    for (ConfigurableInfo info : byFullName.values()) {
      if (info.resultClass() == type) {
        found.add(info);
      }
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    throw new ConfigException(null, (found.isEmpty() ? "no configurable creates " : "several configurables create ")
        + type.getName() + (found.isEmpty() ? " (is its class listed by a ConfigurableModule?)" : ": " + found + "; call it by name"));
  }

  /** The shortest name that denotes {@code info} unambiguously: what the operative config prints. */
  public synchronized String displayName(ConfigurableInfo info) {
    if (byName.getOrDefault(info.name(), List.of()).size() == 1) {
      return info.name();
    }
    String[] module = info.module().split("\\.");
    for (int k = 1; k <= module.length; k++) {
      String candidate = String.join(".", Arrays.asList(module).subList(module.length - k, module.length)) + "." + info.name();
      if (matches(candidate).size() == 1) {
        return candidate;
      }
    }
    return info.fullName();
  }
}
