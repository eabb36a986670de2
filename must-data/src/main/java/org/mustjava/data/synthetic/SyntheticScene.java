package org.mustjava.data.synthetic;

import java.util.List;

/**
 * One generated example: the rendered buffers and every label derived from them.
 *
 * @param index position in the generated sequence
 * @param sourceId unique, reproducible id: {@code synthetic/<domain>/<seed>/<index>}
 * @param image RGB, depth, normals, semantic and instance buffers
 * @param boxes visible instances, ordered by instance id (never empty)
 * @param imageClass object class covering the most pixels ({@link SceneLabels#imageClass})
 */
public record SyntheticScene(
    long index, String sourceId, SceneImage image, List<InstanceBox> boxes, int imageClass) {

  public SyntheticScene {
    boxes = List.copyOf(boxes);
  }
}
