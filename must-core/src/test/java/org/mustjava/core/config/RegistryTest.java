package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mustjava.core.config.ConfigAssertions.assertOnlyError;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration: metadata from the Java side, and every registration mistake. */
class RegistryTest {
  @TempDir Path dir;

  static final class TwoSame {
    private TwoSame() {}

    @Configurable("Same")
    static int one() {
      return 1;
    }

    @Configurable("Same")
    static int two() {
      return 2;
    }
  }

  @Configurable("Model")
  static final class AnotherModel {
    public AnotherModel() {}
  }

  @Configurable(value = "Model", module = "other.models")
  static final class OtherModel {
    OtherModel() {}
  }

  static final class BadDefaultSyntax {
    @Configurable
    BadDefaultSyntax(@Default("[1, 2") List<Integer> sizes) {}
  }

  static final class BadDefaultType {
    @Configurable
    BadDefaultType(@Default("'x'") int size) {}
  }

  static final class MacroDefault {
    @Configurable
    MacroDefault(@Default("%SIZE") int size) {}
  }

  static final class UnknownReferenceDefault {
    @Configurable
    UnknownReferenceDefault(@Default("@Zzyzx()") Object thing) {}
  }

  static final class BadDenylist {
    @Configurable(denylist = "grpah")
    BadDenylist(Object graph) {}
  }

  @Configurable
  public static final class TwoConstructors {
    public TwoConstructors() {}

    public TwoConstructors(int x) {}
  }

  static final class InstanceMethod {
    @Configurable
    int notStatic() {
      return 0;
    }
  }

  static final class NotAnnotated {}

  final class Inner {
    @Configurable
    Inner() {}
  }

  /** A module for the ServiceLoader test. */
  public static final class TestModule implements ConfigurableModule {
    @Override
    public List<Class<?>> configurables() {
      return List.of(Fixtures.Model.class, Fixtures.Momentum.class);
    }
  }

  private static ConfigException registrationError(Class<?> c) {
    return assertThrows(ConfigException.class, () -> new ConfigRegistry().register(c));
  }

  @Test
  void describesParametersFromTheJavaSide() {
    ConfigRegistry registry = Fixtures.registry();
    ConfigurableInfo trainer = registry.resolve("Trainer", null);
    assertEquals("org.mustjava.core.config.Trainer", trainer.fullName());
    assertEquals(List.of("steps", "learning_rate", "optimizer", "name"), List.copyOf(trainer.parameters().keySet()));
    assertEquals(int.class, trainer.parameters().get("steps").rawType());
    assertNull(trainer.parameters().get("steps").defaultValue());
    assertEquals("0.1", ValueWriter.write(trainer.parameters().get("learning_rate").defaultValue()));
    assertEquals(Fixtures.Trainer.class, trainer.resultClass());
    ConfigurableInfo sgd = registry.resolve("sgd", null);
    assertEquals(Fixtures.Optimizer.class, sgd.resultClass());
    assertTrue(registry.resolve("Picky", null).parameters().get("graph").denylisted());
    assertEquals("singleton", registry.resolve("must.config.singleton", null).name());
  }

  @Test
  void displayNamesAreTheShortestUnambiguousForm() {
    ConfigRegistry registry = Fixtures.registry();
    assertEquals("Model", registry.displayName(registry.resolve("Model", null)));
    assertEquals("graph.Node", registry.displayName(registry.resolve("must.graph.Node", null)));
    assertEquals("tree.Node", registry.displayName(registry.resolve("tree.Node", null)));
    registry.register(OtherModel.class);
    assertEquals(2, registry.matches("Model").size());
    assertEquals("config.Model", registry.displayName(registry.resolve("core.config.Model", null)));
    assertEquals("models.Model", registry.displayName(registry.resolve("other.models.Model", null)));
  }

  @Test
  void registeringAClassTwiceIsHarmless() {
    ConfigRegistry registry = Fixtures.registry();
    int before = registry.configurables().size();
    registry.register(Fixtures.Model.class);
    assertEquals(before, registry.configurables().size());
    assertTrue(registry.isRegistered(Fixtures.Model.class));
    assertFalse(registry.isRegistered(NotAnnotated.class));
  }

  @Test
  void rejectsTheSameNameTwiceInOneModule() {
    ConfigException e = registrationError(TwoSame.class);
    assertTrue(e.first().message().startsWith("configurable name 'Same' is registered twice in module 'org.mustjava.core.config': by "), e::getMessage);
    assertTrue(e.first().message().endsWith("; give one of them another name (@Configurable(\"...\")) or another module"), e::getMessage);
    ConfigRegistry registry = new ConfigRegistry().register(Fixtures.Model.class);
    ConfigException clash = assertThrows(ConfigException.class, () -> registry.register(AnotherModel.class));
    assertTrue(clash.first().message().startsWith("configurable name 'Model' is registered twice in module 'org.mustjava.core.config'"), clash::getMessage);
  }

  @Test
  void rejectsMalformedDefaultsAtTheirPosition() {
    ConfigException syntax = registrationError(BadDefaultSyntax.class);
    assertOnlyError(syntax, "<@Default of org.mustjava.core.config.BadDefaultSyntax.sizes>", 1, 1, "unclosed '[': add the closing ']' (the file ends inside it)");
    ConfigException type = registrationError(BadDefaultType.class);
    assertOnlyError(type, "<@Default of org.mustjava.core.config.BadDefaultType.size>", 1, 1,
        "type mismatch: org.mustjava.core.config.BadDefaultType.size expects int, got string 'x'");
    ConfigException macro = registrationError(MacroDefault.class);
    assertOnlyError(macro, "<@Default of org.mustjava.core.config.MacroDefault.size>", 1, 1, "macros are not allowed in @Default values");
  }

  @Test
  void checksReferencesInDefaultsWhenAConfigIsBuilt() {
    ConfigRegistry registry = Fixtures.registry().register(UnknownReferenceDefault.class);
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigLoader(registry).build());
    assertOnlyError(e, "<@Default of org.mustjava.core.config.UnknownReferenceDefault.thing>", 1, 2, "unknown configurable 'Zzyzx'");
  }

  @Test
  void rejectsOtherRegistrationMistakes() {
    assertEquals("error: denylist of org.mustjava.core.config.BadDenylist names 'grpah', which is not a parameter of "
        + "org.mustjava.core.config.RegistryTest$BadDenylist(java.lang.Object)", registrationError(BadDenylist.class).getMessage());
    assertEquals("error: org.mustjava.core.config.RegistryTest$TwoConstructors is annotated @Configurable and has 2 candidate constructors;"
        + " annotate the one configs should call with @Configurable", registrationError(TwoConstructors.class).getMessage());
    assertEquals("error: int org.mustjava.core.config.RegistryTest$InstanceMethod.notStatic() is annotated @Configurable but is not static",
        registrationError(InstanceMethod.class).getMessage());
    assertEquals("error: org.mustjava.core.config.RegistryTest$NotAnnotated is listed as configurable but has no @Configurable class,"
        + " constructor or static method", registrationError(NotAnnotated.class).getMessage());
    assertEquals("error: org.mustjava.core.config.RegistryTest$Inner is an inner class; configurable nested classes must be static",
        registrationError(Inner.class).getMessage());
  }

  @Test
  void rejectsClassesCompiledWithoutParameterNames() throws Exception {
    Path src = dir.resolve("src/nonames/NoNames.java");
    Files.createDirectories(src.getParent());
    Files.writeString(src, "package nonames;\n"
        + "public class NoNames {\n"
        + "  @org.mustjava.core.config.Configurable\n"
        + "  public NoNames(int depth, double width) {}\n"
        + "}\n");
    Path out = Files.createDirectories(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int status = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d", out.toString(), src.toString());
    assertEquals(0, status, "javac without -parameters");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()}, getClass().getClassLoader())) {
      Class<?> c = loader.loadClass("nonames.NoNames");
      assertEquals("error: parameter names of public nonames.NoNames(int,double) are missing (found 'arg0'):"
          + " compile with javac -parameters (the Maven build does) so configs can bind them by name", registrationError(c).getMessage());
    }
  }

  @Test
  void loadsModulesThroughTheServiceLoader() throws IOException {
    Path services = dir.resolve("META-INF/services/" + ConfigurableModule.class.getName());
    Files.createDirectories(services.getParent());
    Files.writeString(services, "# a comment\n" + TestModule.class.getName() + "\n");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      ConfigRegistry registry = ConfigRegistry.fromServices(loader);
      assertTrue(registry.isRegistered(Fixtures.Model.class));
      assertTrue(registry.isRegistered(Fixtures.Momentum.class));
      assertFalse(registry.isRegistered(Fixtures.Trainer.class));
    }
  }
}
