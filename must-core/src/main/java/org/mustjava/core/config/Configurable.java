package org.mustjava.core.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class (its public constructor) or a public static factory method as configurable from
 * {@code *.conf} files: {@code Name.param = value} binds the Java parameter called {@code param}.
 *
 * <p>Parameter names come from the class files (the build compiles with {@code -parameters}).
 * A configurable is found only if its class is listed by a {@link ConfigurableModule} (no
 * classpath scanning).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR})
public @interface Configurable {
  /** The name used in config files; defaults to the simple class name or the method name. */
  String value() default "";

  /** Optional module prefix allowing disambiguation, e.g. {@code must.models} for {@code must.models.ResNet}. */
  String module() default "";

  /** Parameters that configs must not bind (e.g. runtime objects passed by the caller). */
  String[] denylist() default {};
}
