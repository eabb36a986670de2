package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Regions of interest sampled for training the box head, with their targets.
 *
 * @param boxes {@code [B, S, 4]} pixels (zero where padding)
 * @param classes {@code [B, S]} int32 target class, 0 = background (also for padding)
 * @param boxTargets {@code [B, S, 4]} matched ground truth encoded relative to the ROI (0 unless foreground)
 * @param foreground {@code [B, S]} 1 for foreground ROIs
 * @param valid {@code [B, S]} 1 for sampled ROIs, 0 for padding (fewer candidates than S)
 */
public record SampledRois(
    Operand<TFloat32> boxes, Operand<TInt32> classes, Operand<TFloat32> boxTargets, Operand<TFloat32> foreground,
    Operand<TFloat32> valid) {}
