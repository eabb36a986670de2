package org.mustjava.core.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The default value of a configurable's parameter, written in config syntax and parsed by the same
 * parser as {@code .conf} files, e.g. {@code @Default("0.9") double momentum}, {@code
 * @Default("[3, 4, 6, 3]") List<Integer> blocks}, {@code @Default("'SAME'") String padding},
 * {@code @Default("None") Path checkpoint}, {@code @Default("@Momentum") ConfigurableReference<Optimizer> optimizer}.
 *
 * <p>Java has no default arguments; this annotation is how a parameter becomes optional. Because
 * the default is config text, the operative config can print it like any binding, so the operative
 * config is complete (it lists every parameter a run used, defaults included). A parameter with
 * neither a binding, a caller value, nor {@code @Default} is an error when the configurable is
 * called (an {@code Optional<T>} parameter without {@code @Default} defaults to {@code None}).
 * Macros and {@code %REQUIRED} are not allowed in defaults.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Default {
  /** The value in config syntax. */
  String value();
}
