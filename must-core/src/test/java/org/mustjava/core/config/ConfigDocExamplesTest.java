package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mustjava.core.config.Fixtures.Kitchen;
import org.mustjava.core.io.Compression;

/** docs/config.md's value examples that name project classes resolve as the doc says. */
class ConfigDocExamplesTest {
  @Test
  void enumMemberConstantOfTheSyntaxTable() {
    // "constant | %Compression.GZIP": a member of an enum a module lists in enums().
    ConfigRegistry registry = Fixtures.registry().registerModule(new ConfigurableModule() {
      @Override
      public List<Class<?>> configurables() {
        return List.of();
      }

      @Override
      public List<Class<? extends Enum<?>>> enums() {
        return List.of(Compression.class);
      }
    });
    Config config = new ConfigLoader(registry).parseString("doc.conf", "Kitchen.anything = %Compression.GZIP\n").build();
    assertSame(Compression.GZIP, new Injector(config).create(Kitchen.class).anything());
  }
}
