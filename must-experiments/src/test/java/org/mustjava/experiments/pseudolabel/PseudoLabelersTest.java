package org.mustjava.experiments.pseudolabel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;

/** Teachers' tasks are the label types: the config names, defaults and statistics per type. */
class PseudoLabelersTest {
  @Test
  void everyBuiltInLabelTypeHasOnePseudoLabelerUnderItsConfigName() {
    for (LabelType t : LabelTypes.builtIn()) {
      PseudoLabeler p = PseudoLabelers.of(t);
      assertSame(t, p.labelType());
      assertSame(t, PseudoLabelers.parseTask(t.name()));
      // The project's own export names are a valid output set.
      p.validateOutputs(p.defaultOutputs());
      for (String meaning : p.defaultOutputs().keySet()) {
        assertNotNull(p.outputSpec(meaning));
      }
    }
  }

  @Test
  void taskNamesAreTheOnesConfigsUse() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PseudoLabelers.parseTask("Detection"));
    assertEquals("SavedModelTeacher.task must be one of 'classification', 'detection', 'segmentation', 'depth', "
        + "'normals'; got 'Detection'", e.getMessage());
    assertEquals(Map.of("boxes", "detection_boxes_normalized", "scores", "detection_scores",
        "classes", "detection_classes", "count", "num_detections"), PseudoLabelers.of(LabelTypes.DETECTION).defaultOutputs());
  }

  @Test
  void statisticsHaveTheFieldsOfTheirLabelType() {
    TaskStatistics depth = TaskStatistics.of(LabelTypes.DEPTH);
    assertEquals("depth", depth.task);
    assertNull(depth.classHistogram);
    assertEquals(0.0, depth.sum);
    assertNull(depth.boxes);
    TaskStatistics detection = TaskStatistics.of(LabelTypes.DETECTION);
    assertEquals(0L, detection.boxes);
    assertNull(detection.pixels);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> PseudoLabelers.of(LabelTypes.DETECTION).validateOutputs(Map.of("boxes", "b")));
    assertTrue(missing.getMessage().contains("[boxes, classes, scores] (optionally [count])"), missing.getMessage());
  }
}
