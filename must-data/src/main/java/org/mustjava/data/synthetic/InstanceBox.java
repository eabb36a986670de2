package org.mustjava.data.synthetic;

import org.mustjava.data.example.Box;

/**
 * A detection label: the tight box around an instance's visible pixels, in normalised image
 * coordinates (pixel edges: a box covering pixel rows r0..r1 has {@code ymin = r0 / H},
 * {@code ymax = (r1 + 1) / H}).
 *
 * @param instanceId the instance in {@link SceneImage#instance()}
 * @param classId object class id of {@link SceneClasses}
 * @param box the box, normalised
 * @param pixels number of visible pixels
 */
public record InstanceBox(
    int instanceId, int classId, Box box, int pixels) {}
