package org.mustjava.data.example;

import java.util.Arrays;

/**
 * Detection labels of one image: boxes {@code [n][4]} as normalised {@code ymin, xmin, ymax, xmax},
 * a class per box, and optionally a score per box (pseudo-labels) and the evaluation flags
 * {@code difficult} (VOC) and {@code is_crowd} (COCO). Immutable; arrays are copied.
 */
public final class ObjectBoxes {
  private final float[][] boxes;
  private final int[] classes;
  private final float[] scores;
  private final boolean[] difficult;
  private final boolean[] crowd;

  private ObjectBoxes(float[][] boxes, int[] classes, float[] scores, boolean[] difficult, boolean[] crowd) {
    int n = boxes.length;
    if (classes.length != n) {
      throw new IllegalArgumentException(n + " boxes but " + classes.length + " classes");
    }
    checkLength("scores", scores, n);
    checkLength("difficult", difficult, n);
    checkLength("is_crowd", crowd, n);
    this.boxes = new float[n][];
    for (int i = 0; i < n; i++) {
      float[] b = boxes[i];
      if (b.length != 4) {
        throw new IllegalArgumentException("box " + i + " has " + b.length + " coordinates, expected 4");
      }
      for (float v : b) {
        if (!(v >= 0f && v <= 1f)) {
          throw new IllegalArgumentException("box " + i + " " + Arrays.toString(b)
              + " is not normalised to [0, 1] (ymin, xmin, ymax, xmax)");
        }
      }
      if (b[0] > b[2] || b[1] > b[3]) {
        throw new IllegalArgumentException("box " + i + " " + Arrays.toString(b) + " has min > max");
      }
      if (classes[i] < 0) {
        throw new IllegalArgumentException("box " + i + " has negative class " + classes[i]);
      }
      this.boxes[i] = b.clone();
    }
    this.classes = classes.clone();
    this.scores = scores == null ? null : scores.clone();
    this.difficult = difficult == null ? null : difficult.clone();
    this.crowd = crowd == null ? null : crowd.clone();
  }

  /** Ground-truth boxes with classes. */
  public static ObjectBoxes of(float[][] boxes, int[] classes) {
    return new ObjectBoxes(boxes, classes, null, null, null);
  }

  /** Pseudo-label boxes: each with the teacher's confidence. */
  public static ObjectBoxes withScores(float[][] boxes, int[] classes, float[] scores) {
    return new ObjectBoxes(boxes, classes, scores, null, null);
  }

  /** All parts; {@code scores}, {@code difficult}, {@code crowd} may be null. */
  public static ObjectBoxes of(float[][] boxes, int[] classes, float[] scores, boolean[] difficult, boolean[] crowd) {
    return new ObjectBoxes(boxes, classes, scores, difficult, crowd);
  }

  public int size() {
    return boxes.length;
  }

  /** Box {@code i}. */
  public Box box(int i) {
    return Box.ofYxyx(boxes[i]);
  }

  /** Every box, in order. */
  public java.util.List<Box> boxList() {
    java.util.List<Box> out = new java.util.ArrayList<>(boxes.length);
    for (float[] b : boxes) {
      out.add(Box.ofYxyx(b));
    }
    return out;
  }

  /** A copy of all boxes, {@code [n][4]}. */
  public float[][] boxes() {
    float[][] out = new float[boxes.length][];
    for (int i = 0; i < boxes.length; i++) {
      out[i] = boxes[i].clone();
    }
    return out;
  }

  /** One coordinate of every box (0 = ymin, 1 = xmin, 2 = ymax, 3 = xmax). */
  public float[] coordinate(int k) {
    float[] out = new float[boxes.length];
    for (int i = 0; i < boxes.length; i++) {
      out[i] = boxes[i][k];
    }
    return out;
  }

  public int[] classes() {
    return classes.clone();
  }

  /** Box scores, or null for ground truth. */
  public float[] scores() {
    return scores == null ? null : scores.clone();
  }

  /** VOC "difficult" flags, or null. */
  public boolean[] difficult() {
    return difficult == null ? null : difficult.clone();
  }

  /** COCO "is_crowd" flags, or null. */
  public boolean[] crowd() {
    return crowd == null ? null : crowd.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ObjectBoxes other
        && Arrays.deepEquals(boxes, other.boxes)
        && Arrays.equals(classes, other.classes)
        && Arrays.equals(scores, other.scores)
        && Arrays.equals(difficult, other.difficult)
        && Arrays.equals(crowd, other.crowd);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.deepHashCode(boxes) + Arrays.hashCode(classes);
  }

  @Override
  public String toString() {
    return "ObjectBoxes[n=" + boxes.length + (scores != null ? ", scored" : "") + "]";
  }

  private static void checkLength(String what, Object array, int n) {
    if (array != null && java.lang.reflect.Array.getLength(array) != n) {
      throw new IllegalArgumentException(n + " boxes but " + java.lang.reflect.Array.getLength(array) + " " + what);
    }
  }
}
