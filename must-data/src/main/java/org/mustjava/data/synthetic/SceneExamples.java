package org.mustjava.data.synthetic;

import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import java.util.List;
import java.util.Set;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;

/**
 * Converts a {@link SyntheticScene} to a {@link MultiTaskExample} with the standard keys: PNG
 * image, hard image class, boxes with classes, segmentation PNG, metric raw-float32 depth (0 =
 * sky) and raw-float32 normals in the OpenCV camera frame ((0, 0, 0) = sky). All class ids are
 * those of {@link SceneClasses}.
 */
public final class SceneExamples {

  private SceneExamples() {}

  /**
   * The example carrying only the {@code tasks} labels (none: an unlabelled image); the scenes
   * have the built-in label types only ({@link LabelTypes#builtIn()}).
   */
  public static MultiTaskExample toExample(SyntheticScene scene, Set<LabelType> tasks) {
    for (LabelType t : tasks) {
      if (!LabelTypes.builtIn().contains(t)) {
        throw new IllegalArgumentException("synthetic scenes have no '" + t.name() + "' labels");
      }
    }
    SceneImage img = scene.image();
    int h = img.height(), w = img.width();
    MultiTaskExample.Builder b = MultiTaskExample
        .builder(ImageCodecs.encodeRgbPng(img.rgb(), h, w), "png", h, w)
        .sourceId(scene.sourceId());
    if (tasks.contains(LabelTypes.CLASSIFICATION)) {
      b.classLabel(scene.imageClass());
    }
    if (tasks.contains(LabelTypes.DETECTION)) {
      List<InstanceBox> boxes = scene.boxes();
      float[][] coords = new float[boxes.size()][];
      int[] classes = new int[boxes.size()];
      for (int i = 0; i < boxes.size(); i++) {
        InstanceBox box = boxes.get(i);
        coords[i] = box.box().toYxyx();
        classes[i] = box.classId();
      }
      b.boxes(ObjectBoxes.of(coords, classes));
    }
    if (tasks.contains(LabelTypes.SEGMENTATION)) {
      b.segmentation(img.semantic());
    }
    if (tasks.contains(LabelTypes.DEPTH)) {
      b.depth(DepthMap.rawFloat32(img.depth(), false));
    }
    if (tasks.contains(LabelTypes.NORMALS)) {
      b.normals(img.normals());
    }
    return b.build();
  }
}
