package org.mustjava.data.example;

/**
 * The {@code tf.train.Example} feature keys of must-java records, compatible with TF Model Garden and
 * the TF Object Detection API. The full specification (types, shapes, meaning, pseudo-label
 * variants) is in {@code docs/tfrecord-features.md}; {@link MultiTaskExample} reads and writes them.
 */
public final class FeatureKeys {
  private FeatureKeys() {}

  // Image.
  /** bytes[1]: the encoded image (JPEG or PNG, RGB). */
  public static final String IMAGE_ENCODED = "image/encoded";
  /** bytes[1]: {@code "jpeg"} or {@code "png"}. */
  public static final String IMAGE_FORMAT = "image/format";
  /** int64[1]: image height in pixels. */
  public static final String IMAGE_HEIGHT = "image/height";
  /** int64[1]: image width in pixels. */
  public static final String IMAGE_WIDTH = "image/width";
  /** bytes[1]: a unique id of the image within its data set (file name, COCO id, ...). */
  public static final String IMAGE_SOURCE_ID = "image/source_id";

  // Classification.
  /** int64[1]: the class index (hard label). */
  public static final String CLASS_LABEL = "image/class/label";
  /** float[num_classes]: class probabilities (soft label, e.g. a teacher's pseudo-label). */
  public static final String CLASS_PROBABILITIES = "image/class/probabilities";

  // Detection: one entry per object, all lists the same length.
  /** float[n]: box top, normalised to [0, 1] by the image height. */
  public static final String BBOX_YMIN = "image/object/bbox/ymin";
  /** float[n]: box left, normalised by the image width. */
  public static final String BBOX_XMIN = "image/object/bbox/xmin";
  /** float[n]: box bottom, normalised by the image height. */
  public static final String BBOX_YMAX = "image/object/bbox/ymax";
  /** float[n]: box right, normalised by the image width. */
  public static final String BBOX_XMAX = "image/object/bbox/xmax";
  /** int64[n]: class index of each object. */
  public static final String OBJECT_CLASS_LABEL = "image/object/class/label";
  /** float[n]: confidence of each box (pseudo-labels only). */
  public static final String OBJECT_SCORE = "image/object/score";
  /** int64[n]: 1 for objects marked difficult (PASCAL VOC), else 0 (evaluation data). */
  public static final String OBJECT_DIFFICULT = "image/object/difficult";
  /** int64[n]: 1 for crowd regions (COCO), else 0 (evaluation data). */
  public static final String OBJECT_IS_CROWD = "image/object/is_crowd";

  // Semantic segmentation.
  /** bytes[1]: 8-bit single-channel PNG of class indices, 255 = ignore, at image resolution. */
  public static final String SEGMENTATION_ENCODED = "image/segmentation/class/encoded";
  /** bytes[1]: {@code "png"}. */
  public static final String SEGMENTATION_FORMAT = "image/segmentation/class/format";

  // Depth.
  /** bytes[1]: the depth map, see {@link #DEPTH_FORMAT}. */
  public static final String DEPTH_ENCODED = "image/depth/encoded";
  /** bytes[1]: {@code "raw_float32"} (little-endian HxW) or {@code "png16"} (16-bit PNG). */
  public static final String DEPTH_FORMAT = "image/depth/format";
  /** float[1]: for {@code png16}, the depth of one PNG unit (metres per unit, e.g. 0.001). */
  public static final String DEPTH_SCALE = "image/depth/scale";
  /**
   * bytes[1]: {@code "metric"} (metres), {@code "relative"} (depth up to an unknown scale and shift)
   * or {@code "inverse_relative"} (inverse depth up to an unknown scale and shift, as MiDaS gives);
   * see {@link DepthType}.
   */
  public static final String DEPTH_TYPE = "image/depth/type";

  // Surface normals.
  /**
   * bytes[1]: unit normals as little-endian float32, HxWx3, in the OpenCV camera frame (x right, y
   * down, z forward into the scene, so visible surfaces have z &lt;= 0); (0, 0, 0) = no label.
   */
  public static final String NORMALS_ENCODED = "image/normals/encoded";
  /** bytes[1]: {@code "raw_float32"}. */
  public static final String NORMALS_FORMAT = "image/normals/format";

  // Values of the format/type features.
  public static final String FORMAT_JPEG = "jpeg";
  public static final String FORMAT_PNG = "png";
  public static final String FORMAT_RAW_FLOAT32 = "raw_float32";
  public static final String FORMAT_PNG16 = "png16";
  public static final String DEPTH_METRIC = "metric";
  public static final String DEPTH_RELATIVE = "relative";
  public static final String DEPTH_INVERSE_RELATIVE = "inverse_relative";

  /** The segmentation value of pixels without a label (also low-confidence pseudo-label pixels). */
  public static final int SEGMENTATION_IGNORE = 255;
}
