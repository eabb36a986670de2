package org.mustjava.experiments.launcher;

import org.mustjava.core.config.Configurable;
import org.mustjava.core.config.Default;
import org.mustjava.experiments.Experiment;

/**
 * What a config tells the launcher: which experiment to run, as {@code Launcher.experiment =
 * @Name()} (optionally scoped, {@code @hello/PrintConfig()}).
 */
@Configurable("Launcher")
public record Launcher(@Default("None") Experiment experiment) {}
