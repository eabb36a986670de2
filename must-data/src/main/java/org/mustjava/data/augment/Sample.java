package org.mustjava.data.augment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One decoded example as graph tensors, the unit the augmentations transform: the image, float32
 * {@code [H, W, 3]}, already normalised (padding adds zeros, i.e. the dataset mean), and named label
 * fields, each with the {@link FieldGeometry} that says how it moves with the image. Label types
 * ({@code org.mustjava.data.labels}) add their fields when they decode a record; {@link
 * HorizontalFlip} and {@link ScaledCrop} transform every field by its geometry.
 *
 * <p>The built-in fields, with shorthands below:
 *
 * <ul>
 *   <li>{@code boxes}: float32 {@code [N, 4]}, normalised {@code (ymin, xmin, ymax, xmax)} relative to
 *       the image; {@code box_classes}: int32 {@code [N]} (present together with boxes);
 *       {@code box_flags}: int32 {@code [N, 2]}, per box (difficult, is_crowd) as 0/1, the evaluation
 *       flags of VOC and COCO (optional); every field with {@link FieldGeometry#boxRows()} is selected
 *       with the boxes;
 *   <li>{@code segmentation}: int32 {@code [H', W', 1]}, class ids with {@link #IGNORE_LABEL};
 *   <li>{@code depth}: float32 {@code [H', W', C]}, values {@code <= 0} are invalid;
 *   <li>{@code normals}: float32 {@code [H', W', 3]}, (x, y, z) with x pointing right in the image; the
 *       zero vector is invalid.
 * </ul>
 *
 * <p>Dense label maps may have their own resolution: every geometric transform maps them by
 * normalised coordinates, so they stay aligned with the image.
 */
public final class Sample {
  /** The segmentation label that losses and metrics ignore; also the padding value of label maps. */
  public static final int IGNORE_LABEL = 255;

  /** The value that marks depth pixels without a measurement (and depth padding). */
  public static final float INVALID_DEPTH = 0f;

  public static final String BOXES = "boxes";
  public static final String BOX_CLASSES = "box_classes";
  public static final String BOX_FLAGS = "box_flags";
  public static final String SEGMENTATION = "segmentation";
  public static final String DEPTH = "depth";
  public static final String NORMALS = "normals";

  /** A label field: its tensor and how it moves with the image. */
  public record Field(Operand<?> tensor, FieldGeometry geometry) {}

  private final Operand<TFloat32> image;
  private final Map<String, Field> fields;

  private Sample(Operand<TFloat32> image, Map<String, Field> fields) {
    if (image == null) {
      throw new IllegalArgumentException("a Sample needs an image");
    }
    if (fields.containsKey(BOXES) != fields.containsKey(BOX_CLASSES)) {
      throw new IllegalArgumentException("boxes and boxClasses come together");
    }
    if (fields.containsKey(BOX_FLAGS) && !fields.containsKey(BOXES)) {
      throw new IllegalArgumentException("boxFlags need boxes");
    }
    this.image = image;
    this.fields = Collections.unmodifiableMap(fields);
  }

  /** A sample with the built-in fields ({@code null}: absent). */
  public Sample(
      Operand<TFloat32> image,
      Operand<TFloat32> boxes,
      Operand<TInt32> boxClasses,
      Operand<TInt32> segmentation,
      Operand<TFloat32> depth,
      Operand<TFloat32> normals,
      Operand<TInt32> boxFlags) {
    this(image, builtIn(boxes, boxClasses, segmentation, depth, normals, boxFlags));
  }

  /** A sample without box flags. */
  public Sample(
      Operand<TFloat32> image,
      Operand<TFloat32> boxes,
      Operand<TInt32> boxClasses,
      Operand<TInt32> segmentation,
      Operand<TFloat32> depth,
      Operand<TFloat32> normals) {
    this(image, boxes, boxClasses, segmentation, depth, normals, null);
  }

  private static Map<String, Field> builtIn(
      Operand<TFloat32> boxes, Operand<TInt32> boxClasses, Operand<TInt32> segmentation,
      Operand<TFloat32> depth, Operand<TFloat32> normals, Operand<TInt32> boxFlags) {
    Map<String, Field> f = new LinkedHashMap<>();
    put(f, BOXES, boxes, FieldGeometry.BOXES);
    put(f, BOX_CLASSES, boxClasses, FieldGeometry.BOX_ROWS);
    put(f, SEGMENTATION, segmentation, FieldGeometry.labelMap(IGNORE_LABEL));
    put(f, DEPTH, depth, FieldGeometry.floatMap(INVALID_DEPTH));
    put(f, NORMALS, normals, FieldGeometry.NORMAL_MAP);
    put(f, BOX_FLAGS, boxFlags, FieldGeometry.BOX_ROWS);
    return f;
  }

  private static void put(Map<String, Field> f, String name, Operand<?> tensor, FieldGeometry geometry) {
    if (tensor != null) {
      f.put(name, new Field(tensor, geometry));
    }
  }

  /** A sample with an image only. */
  public static Sample ofImage(Operand<TFloat32> image) {
    return new Sample(image, new LinkedHashMap<>());
  }

  public Operand<TFloat32> image() {
    return image;
  }

  /** The label fields by name, in the order they were added. */
  public Map<String, Field> fields() {
    return fields;
  }

  /** The tensor of field {@code name}, or {@code null}. */
  @SuppressWarnings("unchecked")
  public <T extends org.tensorflow.types.family.TType> Operand<T> field(String name) {
    Field f = fields.get(name);
    return f == null ? null : (Operand<T>) f.tensor();
  }

  public Sample withImage(Operand<TFloat32> newImage) {
    return new Sample(newImage, new LinkedHashMap<>(fields));
  }

  /** This sample with field {@code name} added or replaced ({@code null} tensor: removed). */
  public Sample with(String name, Operand<?> tensor, FieldGeometry geometry) {
    Map<String, Field> f = new LinkedHashMap<>(fields);
    if (tensor == null) {
      f.remove(name);
    } else {
      f.put(name, new Field(tensor, geometry));
    }
    return new Sample(image, f);
  }

  /** This sample with the tensors of existing fields replaced (geometries kept). */
  public Sample withTensors(Map<String, ? extends Operand<?>> tensors) {
    Map<String, Field> f = new LinkedHashMap<>(fields);
    tensors.forEach((name, t) -> f.put(name, new Field(t, fields.get(name).geometry())));
    return new Sample(image, f);
  }

  public Operand<TFloat32> boxes() {
    return field(BOXES);
  }

  public Operand<TInt32> boxClasses() {
    return field(BOX_CLASSES);
  }

  public Operand<TInt32> boxFlags() {
    return field(BOX_FLAGS);
  }

  public Operand<TInt32> segmentation() {
    return field(SEGMENTATION);
  }

  public Operand<TFloat32> depth() {
    return field(DEPTH);
  }

  public Operand<TFloat32> normals() {
    return field(NORMALS);
  }

  /** New coordinates or classes for the same box rows (the box flags are kept). */
  public Sample withBoxes(Operand<TFloat32> newBoxes, Operand<TInt32> newClasses) {
    Map<String, Field> f = new LinkedHashMap<>(fields);
    f.remove(BOXES);
    f.remove(BOX_CLASSES);
    put(f, BOXES, newBoxes, FieldGeometry.BOXES);
    put(f, BOX_CLASSES, newClasses, FieldGeometry.BOX_ROWS);
    return new Sample(image, f);
  }

  /** New box rows with their flags ({@code null}: none). */
  public Sample withBoxes(Operand<TFloat32> newBoxes, Operand<TInt32> newClasses, Operand<TInt32> newFlags) {
    Map<String, Field> f = new LinkedHashMap<>(fields);
    f.remove(BOXES);
    f.remove(BOX_CLASSES);
    f.remove(BOX_FLAGS);
    put(f, BOXES, newBoxes, FieldGeometry.BOXES);
    put(f, BOX_CLASSES, newClasses, FieldGeometry.BOX_ROWS);
    put(f, BOX_FLAGS, newFlags, FieldGeometry.BOX_ROWS);
    return new Sample(image, f);
  }

  public Sample withSegmentation(Operand<TInt32> newSegmentation) {
    return with(SEGMENTATION, newSegmentation, FieldGeometry.labelMap(IGNORE_LABEL));
  }

  public Sample withDepth(Operand<TFloat32> newDepth) {
    return with(DEPTH, newDepth, FieldGeometry.floatMap(INVALID_DEPTH));
  }

  public Sample withNormals(Operand<TFloat32> newNormals) {
    return with(NORMALS, newNormals, FieldGeometry.NORMAL_MAP);
  }

  public boolean hasBoxes() {
    return fields.containsKey(BOXES);
  }
}
