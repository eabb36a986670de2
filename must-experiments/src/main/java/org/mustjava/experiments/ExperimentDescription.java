package org.mustjava.experiments;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The one-line description {@code tools/run-experiment --list} prints for an {@link Experiment} class. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ExperimentDescription {
  /** One line, no trailing period needed. */
  String value();
}
