package org.mustjava.core.config;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;

/** Small helpers over java.lang.reflect types. */
final class Types {
  private Types() {}

  /** The erased class of a type (a type variable or wildcard erases to its first upper bound). */
  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof GenericArrayType g) {
      return java.lang.reflect.Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
    }
    if (type instanceof TypeVariable<?> v) {
      return raw(v.getBounds()[0]);
    }
    if (type instanceof WildcardType w) {
      return raw(w.getUpperBounds()[0]);
    }
    return Object.class;
  }

  /** Type argument {@code i} of a parameterised type, or Object for a raw one. */
  static Type argument(Type type, int i) {
    if (type instanceof ParameterizedType p && p.getActualTypeArguments().length > i) {
      Type a = p.getActualTypeArguments()[i];
      if (a instanceof WildcardType w) {
        return w.getUpperBounds()[0];
      }
      return a;
    }
    return Object.class;
  }

  /** Element type of an array type. */
  static Type component(Type type) {
    if (type instanceof GenericArrayType g) {
      return g.getGenericComponentType();
    }
    return raw(type).getComponentType();
  }

  static Class<?> box(Class<?> c) {
    if (!c.isPrimitive()) {
      return c;
    }
    if (c == int.class) {
      return Integer.class;
    }
    if (c == long.class) {
      return Long.class;
    }
    if (c == double.class) {
      return Double.class;
    }
    if (c == float.class) {
      return Float.class;
    }
    if (c == boolean.class) {
      return Boolean.class;
    }
    if (c == short.class) {
      return Short.class;
    }
    if (c == byte.class) {
      return Byte.class;
    }
    if (c == char.class) {
      return Character.class;
    }
    return Void.class;
  }

  /** How a type reads in messages: int, float, string, bool, list of int, Optimizer, ... */
  static String describe(Type type) {
    Class<?> c = raw(type);
    Class<?> b = box(c);
    if (b == Integer.class || b == Long.class || b == Short.class || b == Byte.class) {
      return c.getSimpleName().toLowerCase(java.util.Locale.ROOT).replace("integer", "int");
    }
    if (b == Double.class || b == Float.class) {
      return c.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
    if (b == Boolean.class) {
      return "bool";
    }
    if (c == String.class) {
      return "string";
    }
    if (c.isArray()) {
      return "array of " + describe(component(type));
    }
    if (java.util.Map.class.isAssignableFrom(c)) {
      return "dict of " + describe(argument(type, 0)) + " to " + describe(argument(type, 1));
    }
    if (c == java.util.Optional.class) {
      return "optional " + describe(argument(type, 0));
    }
    if (c == ConfigurableReference.class || c == java.util.function.Supplier.class) {
      return "reference to a configurable returning " + describe(argument(type, 0));
    }
    if (Iterable.class.isAssignableFrom(c)) {
      return (java.util.Set.class.isAssignableFrom(c) ? "set of " : "list of ") + describe(argument(type, 0));
    }
    if (c == Object.class) {
      return "any value";
    }
    if (c.isEnum()) {
      return c.getSimpleName() + " (enum)";
    }
    return c.getSimpleName();
  }
}
