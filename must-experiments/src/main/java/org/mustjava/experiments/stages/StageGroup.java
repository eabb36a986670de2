package org.mustjava.experiments.stages;

import java.util.List;
import org.mustjava.experiments.RunContext;

/**
 * One configured entry of {@code Stages.stages} that stands for several stages, e.g. a
 * fine-tuning grid with one cell per learning rate x steps. The {@link StagedExperiment} runs the
 * {@link #parts()} in its place, in order, each cached, superseded and resumed on its own.
 *
 * <p>Parts built in Java (not by the injector) have no operative config of their own: their
 * fingerprint's config is the group's, and what tells the parts apart (the cell's learning rate
 * and steps) must be in each part's {@link Stage#fingerprintMaterial()}. Parts the injector built
 * (e.g. a list of {@code @Cell()} bound in the config) keep their own config. The group's own
 * {@link #name()} is only a label; every part has its own directory.
 */
public interface StageGroup extends Stage {
  /** The stages to run in place of this one, in order. */
  List<Stage> parts();

  /** Never called: the experiment runs the parts. */
  @Override
  default void run(RunContext context) {
    throw new IllegalStateException("a StageGroup is run through its parts: " + name());
  }
}
