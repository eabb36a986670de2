package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Activation;
import org.mustjava.core.config.Fixtures.Kitchen;

/** Conversion of config values to every supported Java parameter type. */
class ConversionTest {
  private static Kitchen kitchen(String bindings) {
    return new Injector(Fixtures.load(bindings)).create(Kitchen.class);
  }

  @Test
  void convertsNumbers() {
    Kitchen k = kitchen("Kitchen.i = -2147483648\nKitchen.l = 9223372036854775807\nKitchen.s = -32768\nKitchen.b = 127\n"
        + "Kitchen.d = 1e-4\nKitchen.f = 3\nKitchen.boxed = 7\n");
    assertEquals(Integer.MIN_VALUE, k.i());
    assertEquals(Long.MAX_VALUE, k.l());
    assertEquals(Short.MIN_VALUE, k.s());
    assertEquals(127, k.b());
    assertEquals(1e-4, k.d());
    assertEquals(3.0f, k.f()); // ints widen to floats
    assertEquals(Integer.valueOf(7), k.boxed());
    assertEquals(Double.POSITIVE_INFINITY, kitchen("Kitchen.d = inf").d());
    assertEquals(Float.NEGATIVE_INFINITY, kitchen("Kitchen.f = -inf").f());
    assertEquals(Double.NaN, kitchen("Kitchen.d = nan").d());
  }

  @Test
  void convertsStringsBooleansEnumsAndPaths() {
    Kitchen k = kitchen("Kitchen.str = 'a' \"b\"\nKitchen.flag = True\nKitchen.act = 'SWISH'\nKitchen.path = '/tmp/x.conf'\n");
    assertEquals("ab", k.str());
    assertEquals(true, k.flag());
    assertEquals(Activation.SWISH, k.act());
    assertEquals(Path.of("/tmp/x.conf"), k.path());
    assertEquals(Activation.SWISH, kitchen("Kitchen.act = 'swish'").act()); // exact name first, then any case
  }

  @Test
  void convertsListsTuplesArraysAndSets() {
    Kitchen k = kitchen("Kitchen.ints = (1, 2, 3)\nKitchen.int_array = [4, 5]\nKitchen.strings = ['x', 'y']\n"
        + "Kitchen.set = ['b', 'a', 'b']\nKitchen.nested = [[1], [], [2, 3]]\nKitchen.coll = [1]\n");
    assertEquals(List.of(1, 2, 3), k.ints());
    assertArrayEquals(new int[] {4, 5}, k.intArray());
    assertArrayEquals(new String[] {"x", "y"}, k.strings());
    assertEquals(List.of("b", "a"), List.copyOf(k.set())); // order kept, duplicates dropped
    assertEquals(List.of(List.of(1), List.of(), List.of(2, 3)), k.nested());
    assertEquals(List.of(1L), List.copyOf(k.coll()));
    assertThrows(UnsupportedOperationException.class, () -> k.ints().add(4)); // config values are immutable
  }

  @Test
  void convertsDictsAndOptionals() {
    Kitchen k = kitchen("Kitchen.weights = {'cls': 1, 'det': 0.5}\nKitchen.by_int = {1: ['a'], 2: []}\nKitchen.maybe = 3\n");
    assertEquals(Map.of("cls", 1.0, "det", 0.5), k.weights());
    assertEquals(List.of("cls", "det"), List.copyOf(k.weights().keySet()));
    assertEquals(Map.of(1, List.of("a"), 2, List.of()), k.byInt());
    assertEquals(Optional.of(3), k.maybe());
    assertEquals(Optional.empty(), kitchen("Kitchen.maybe = None").maybe());
  }

  @Test
  void convertsToObjectNaturally() {
    Object v = kitchen("Kitchen.anything = [1, 2.5, 'x', True, None, (1,), {'k': [2]}]").anything();
    assertEquals(java.util.Arrays.asList(1L, 2.5, "x", true, null, List.of(1L), Map.of("k", List.of(2L))), v);
    assertInstanceOf(ConfigurableReference.class, kitchen("Kitchen.anything = @Model").anything());
  }

  @Test
  void typeErrorsInValuesReachedThroughMacrosAreReportedAtTheUse() {
    ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.load("SIZES = {'a': 'x'}\nKitchen.weights = %SIZES\n"));
    assertOnlyError(e, "test.conf", 2, 19, "type mismatch: Kitchen.weights['a'] expects double, got string 'x' (via %SIZES)");
  }

  @Test
  void dictKeysAreConvertedToTheKeyType() {
    ConfigException e = assertThrows(ConfigException.class, () -> Fixtures.load("Kitchen.by_int = {1: [], 1.5: []}\n"));
    assertOnlyError(e, "test.conf", 1, 26, "type mismatch: Kitchen.by_int key 1.5 expects int, got float 1.5");
  }
}
