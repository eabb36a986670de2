package org.mustjava.data.augment;

import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;

/**
 * The result of a preprocessing step together with its geometry: the transformed {@link Sample},
 * the input image's size, and the {@link ScaledCrop} window that was applied. The geometry is what
 * maps predictions on the output back to the original image.
 *
 * @param sample the transformed example
 * @param originalHeight int32 scalar: the input image's height
 * @param originalWidth int32 scalar: the input image's width
 * @param window the resize / crop / pad applied (its {@link ScaledCrop#scale()} is resized /
 *     original)
 */
public record Preprocessed(
    Sample sample, Operand<TInt32> originalHeight, Operand<TInt32> originalWidth, ScaledCrop window) {}
