package org.mustjava.core.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class (its public constructor), a constructor or a static factory method as
 * configurable from {@code *.conf} files: {@code Name.param = value} binds the Java parameter
 * called {@code param} (configs spell it in snake_case, {@code learning_rate} for {@code
 * learningRate}; the Java spelling works too).
 *
 * <p>Parameter names come from the class files (the build compiles with {@code -parameters}).
 * A parameter is optional only with a {@link Default} (or as an {@code Optional}). A configurable
 * is found only if its class is listed by a {@link ConfigurableModule} (no classpath scanning).
 * See docs/config.md.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface Configurable {
  /** The name used in config files; defaults to the simple class name or the method name. */
  String value() default "";

  /**
   * Module for disambiguation, e.g. {@code must.models} for {@code must.models.ResNet}; defaults to
   * the Java package. Configs need it only when the bare name is ambiguous, and then only its end
   * ({@code models.ResNet}).
   */
  String module() default "";

  /** Parameters that configs must not bind (runtime objects the Java caller always passes, e.g. a graph). */
  String[] denylist() default {};
}
