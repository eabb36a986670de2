package org.mustjava.core.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;

/**
 * A moving statistic a training step updates, {@code moving -= decay * (moving - batchValue)} (a
 * BatchNorm moving mean or variance), as registered by {@link GraphContext#addMovingAverage}.
 * Registering what is averaged (not only the update op) lets a multi-tower train step update the
 * variable once from the mean of every tower's batch value, instead of from tower 0 alone.
 *
 * @param variable the moving statistic (not trainable)
 * @param batchValue this step's value computed on the tower's batch
 * @param decay {@code 1 - momentum}
 * @param update the single-tower update op (also in {@link GraphContext#updateOps()})
 */
public record MovingAverage(ModelVariable variable, Operand<TFloat32> batchValue, float decay, Op update) {}
