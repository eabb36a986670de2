package org.mustjava.core.train;

import java.util.Map;

/**
 * What {@link Trainer#train} did.
 *
 * @param startStep the step training started from (0, or the checkpoint resumed)
 * @param finalStep the step of the final checkpoint
 * @param stepsRun steps run by this call (0 when the stage was already trained)
 * @param finalLosses losses of the last step run (empty when none ran)
 * @param metrics the final evaluation (empty without metrics)
 * @param loopSeconds wall time of the step loop (first step to the end of the last step's
 *     checkpoint, evaluation and summaries)
 * @param trainStepSeconds the part of it spent in {@code Session.run} of the train steps; the rest
 *     is the loop's bookkeeping (checkpoints, evaluations, summaries, logging)
 */
public record TrainResult(
    long startStep, long finalStep, long stepsRun, Map<String, Double> finalLosses, Map<String, Double> metrics,
    double loopSeconds, double trainStepSeconds) {}
