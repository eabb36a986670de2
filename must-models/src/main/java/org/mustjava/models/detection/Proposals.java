package org.mustjava.models.detection;

import org.tensorflow.Operand;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;

/**
 * Region proposals of a batch, padded to a fixed count per image and detached from the gradient.
 *
 * @param boxes {@code [B, P, 4]} pixels, clipped to the image; zero where invalid
 * @param scores {@code [B, P]} objectness probability, sorted descending; -1 where invalid
 * @param valid {@code [B, P]}
 */
public record Proposals(Operand<TFloat32> boxes, Operand<TFloat32> scores, Operand<TBool> valid) {}
