package org.mustjava.data.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The one class-id space shared by every synthetic label (segmentation mask, detection boxes,
 * image class): 0 = background (sky, or anything unlabelled), 1 = floor, 2 = wall, then the
 * {@link ObjectCategory object categories} from 3. Detection and image classes only use object
 * ids, so a classifier head needs {@link #NUM_CLASSES} logits of which 0..2 are never targets.
 */
public final class SceneClasses {

  public static final int BACKGROUND = 0;
  public static final int FLOOR = 1;
  public static final int WALL = 2;
  /** Id of the first object category. */
  public static final int FIRST_OBJECT = 3;
  /** Size of the id space: background, floor, wall and every object category. */
  public static final int NUM_CLASSES = FIRST_OBJECT + ObjectCategory.values().length;

  private SceneClasses() {}

  /** Names of ids 0..NUM_CLASSES-1. */
  public static List<String> names() {
    List<String> names = new ArrayList<>(List.of("background", "floor", "wall"));
    for (ObjectCategory c : ObjectCategory.values()) {
      names.add(c.configName());
    }
    return Collections.unmodifiableList(names);
  }

  /** True for ids of countable objects. */
  public static boolean isObject(int classId) {
    return classId >= FIRST_OBJECT && classId < NUM_CLASSES;
  }
}
