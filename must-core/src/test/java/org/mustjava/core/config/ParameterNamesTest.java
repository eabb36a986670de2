package org.mustjava.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mustjava.core.config.ConfigAssertions.assertLoadError;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mustjava.core.config.Fixtures.Trainer;

/** Parameters are spelled snake_case in configs (design.md); the Java spelling is an accepted alias. */
class ParameterNamesTest {
  static final class Clash {
    @Configurable
    Clash(int learningRate, int learning_rate) {}
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "learningRate, learning_rate",
      "steps, steps",
      "already_snake, already_snake",
      "useFPNHead, use_fpn_head",
      "p2Level, p2_level",
      "numClasses2D, num_classes2_d",
      "URL, url",
      "x, x",
      "imageSize_, image_size_",
  })
  void convertsJavaNamesToSnakeCase(String java, String config) {
    assertEquals(config, ParameterInfo.snakeCase(java));
  }

  @Test
  void bothSpellingsBindTheSameParameterAndTheLaterWins() {
    Injector injector = new Injector(Fixtures.load("Trainer.steps = 1\nTrainer.learning_rate = 0.5\nTrainer.learningRate = 0.25\n"));
    assertEquals(0.25, injector.create(Trainer.class).learningRate());
    Injector reversed = new Injector(Fixtures.load("Trainer.steps = 1\nTrainer.learningRate = 0.25\nTrainer.learning_rate = 0.5\n"));
    assertEquals(0.5, reversed.create(Trainer.class).learningRate());
    assertEquals("Trainer.learning_rate = 0.5", reversed.operativeConfig().lines().filter(l -> l.contains("learning")).findFirst().orElseThrow());
  }

  @Test
  void callersMayUseEitherSpelling() {
    Injector injector = new Injector(Fixtures.load("Trainer.steps = 1\n"));
    assertEquals(0.3, injector.create(Trainer.class, "", Map.of("learningRate", 0.3)).learningRate());
    assertEquals(0.4, injector.create(Trainer.class, "", Map.of("learning_rate", 0.4)).learningRate());
  }

  @Test
  void suggestsTheConfigSpelling() {
    assertLoadError("Trainer.learning_rat = 1", 1, 9, "unknown parameter 'learning_rat' of Trainer; did you mean 'learning_rate'?");
  }

  @Test
  void rejectsJavaNamesThatCollideInConfigSpelling() {
    ConfigException e = assertThrows(ConfigException.class, () -> new ConfigRegistry().register(Clash.class));
    assertEquals("error: parameters 'learningRate' and 'learning_rate' of org.mustjava.core.config.ParameterNamesTest$Clash(int,int)"
        + " have the same config name 'learning_rate'; rename one", e.getMessage());
  }
}
