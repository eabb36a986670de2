package org.mustjava.data.example;

import static org.mustjava.data.example.FeatureKeys.*;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;

/**
 * One image with any subset of the MuST task labels, and its {@code tf.train.Example} form (keys in
 * {@link FeatureKeys}, spec in {@code docs/tfrecord-features.md}).
 *
 * <p>Ground truth and pseudo-labels share the keys: a teacher's classification output is stored as
 * soft {@linkplain #classProbabilities() probabilities}; its boxes carry {@linkplain
 * ObjectBoxes#scores() scores}; its segmentation marks low-confidence pixels with the ignore value
 * 255; its depth may be {@linkplain DepthMap#relative() relative}. Segmentation, depth and normals
 * are at image resolution.
 *
 * <p>Immutable; arrays are copied in and out. Build with {@link #builder}.
 */
public final class MultiTaskExample {
  private final byte[] image;
  private final String format;
  private final int height;
  private final int width;
  private final String sourceId;
  private final Integer classLabel;
  private final float[] classProbabilities;
  private final ObjectBoxes boxes;
  private final byte[] segmentationPng;
  private final DepthMap depth;
  private final float[] normals;

  private MultiTaskExample(Builder b) {
    this.image = b.image;
    this.format = b.format;
    this.height = b.height;
    this.width = b.width;
    this.sourceId = b.sourceId;
    this.classLabel = b.classLabel;
    this.classProbabilities = b.classProbabilities;
    this.boxes = b.boxes;
    this.segmentationPng = b.segmentationPng;
    this.depth = b.depth;
    this.normals = b.normals;
  }

  /**
   * Starts an example for an encoded image.
   *
   * @param format {@code "png"} or {@code "jpeg"}
   */
  public static Builder builder(byte[] encodedImage, String format, int height, int width) {
    return new Builder(encodedImage, format, height, width);
  }

  /** Builds and validates a {@link MultiTaskExample}. */
  public static final class Builder {
    private final byte[] image;
    private final String format;
    private final int height;
    private final int width;
    private String sourceId = "";
    private Integer classLabel;
    private float[] classProbabilities;
    private ObjectBoxes boxes;
    private byte[] segmentationPng;
    private DepthMap depth;
    private float[] normals;

    private Builder(byte[] image, String format, int height, int width) {
      if (image == null || image.length == 0) {
        throw new IllegalArgumentException("empty encoded image");
      }
      if (!FORMAT_PNG.equals(format) && !FORMAT_JPEG.equals(format)) {
        throw new IllegalArgumentException("image format must be 'png' or 'jpeg', got '" + format + "'");
      }
      if (height <= 0 || width <= 0) {
        throw new IllegalArgumentException("image size must be positive, got " + height + "x" + width);
      }
      this.image = image.clone();
      this.format = format;
      this.height = height;
      this.width = width;
    }

    public Builder sourceId(String id) {
      this.sourceId = id == null ? "" : id;
      return this;
    }

    /** Hard class label. */
    public Builder classLabel(int label) {
      if (label < 0) {
        throw new IllegalArgumentException("class label must be >= 0, got " + label);
      }
      this.classLabel = label;
      return this;
    }

    /** Soft class label: one non-negative probability per class. */
    public Builder classProbabilities(float[] probabilities) {
      for (int i = 0; i < probabilities.length; i++) {
        if (!(probabilities[i] >= 0f) || !Float.isFinite(probabilities[i])) {
          throw new IllegalArgumentException("class probability " + i + " is " + probabilities[i]);
        }
      }
      this.classProbabilities = probabilities.clone();
      return this;
    }

    public Builder boxes(ObjectBoxes b) {
      this.boxes = b;
      return this;
    }

    /** Encoded 8-bit gray PNG of class indices at image resolution, 255 = ignore. */
    public Builder segmentationPng(byte[] png) {
      if (!FORMAT_PNG.equals(ImageCodecs.sniffFormat(png))) {
        throw new IllegalArgumentException("segmentation must be a PNG");
      }
      this.segmentationPng = png.clone();
      return this;
    }

    /** Class indices (HxW, row-major, 255 = ignore), encoded here as PNG. */
    public Builder segmentation(byte[] classes) {
      this.segmentationPng = ImageCodecs.encodeGray8Png(classes, height, width);
      return this;
    }

    public Builder depth(DepthMap d) {
      if (d.encoding() == DepthMap.Encoding.RAW_FLOAT32 && d.data().length != 4L * height * width) {
        throw new IllegalArgumentException("raw depth has " + d.data().length / 4 + " values, image is "
            + height + "x" + width);
      }
      this.depth = d;
      return this;
    }

    /** Unit normals, HxWx3 row-major (see {@link FeatureKeys#NORMALS_ENCODED} for the frame). */
    public Builder normals(float[] xyz) {
      if (xyz.length != 3L * height * width) {
        throw new IllegalArgumentException("normals have " + xyz.length + " values, expected 3*"
            + height + "*" + width);
      }
      this.normals = xyz.clone();
      return this;
    }

    public MultiTaskExample build() {
      return new MultiTaskExample(this);
    }
  }

  public byte[] encodedImage() {
    return image.clone();
  }

  public String imageFormat() {
    return format;
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** The source id; empty if none. */
  public String sourceId() {
    return sourceId;
  }

  public OptionalInt classLabel() {
    return classLabel == null ? OptionalInt.empty() : OptionalInt.of(classLabel);
  }

  public Optional<float[]> classProbabilities() {
    return Optional.ofNullable(classProbabilities).map(float[]::clone);
  }

  public Optional<ObjectBoxes> boxes() {
    return Optional.ofNullable(boxes);
  }

  public Optional<byte[]> segmentationPng() {
    return Optional.ofNullable(segmentationPng).map(byte[]::clone);
  }

  /** Decoded class indices of the segmentation (HxW, values 0..255 as unsigned bytes). */
  public Optional<byte[]> segmentation() {
    if (segmentationPng == null) {
      return Optional.empty();
    }
    ImageCodecs.Pixels p;
    try {
      p = ImageCodecs.decodeGray8(segmentationPng);
    } catch (IllegalArgumentException e) {
      throw new InvalidExampleException(SEGMENTATION_ENCODED + " of '" + sourceId + "': " + e.getMessage(), e);
    }
    if (p.height() != height || p.width() != width) {
      throw new InvalidExampleException(SEGMENTATION_ENCODED + " of '" + sourceId + "' is " + p.height()
          + "x" + p.width() + ", image is " + height + "x" + width);
    }
    return Optional.of(p.data());
  }

  public Optional<DepthMap> depth() {
    return Optional.ofNullable(depth);
  }

  public Optional<float[]> normals() {
    return Optional.ofNullable(normals).map(float[]::clone);
  }

  /** The {@code tf.train.Example} holding this image and its labels. */
  public Example toExample() {
    Features.Builder f = Features.newBuilder();
    putBytes(f, IMAGE_ENCODED, image);
    putString(f, IMAGE_FORMAT, format);
    putInts(f, IMAGE_HEIGHT, height);
    putInts(f, IMAGE_WIDTH, width);
    putString(f, IMAGE_SOURCE_ID, sourceId);
    if (classLabel != null) {
      putInts(f, CLASS_LABEL, classLabel);
    }
    if (classProbabilities != null) {
      putFloats(f, CLASS_PROBABILITIES, classProbabilities);
    }
    if (boxes != null) {
      putFloats(f, BBOX_YMIN, boxes.coordinate(0));
      putFloats(f, BBOX_XMIN, boxes.coordinate(1));
      putFloats(f, BBOX_YMAX, boxes.coordinate(2));
      putFloats(f, BBOX_XMAX, boxes.coordinate(3));
      putInts(f, OBJECT_CLASS_LABEL, boxes.classes());
      if (boxes.scores() != null) {
        putFloats(f, OBJECT_SCORE, boxes.scores());
      }
      if (boxes.difficult() != null) {
        putInts(f, OBJECT_DIFFICULT, flags(boxes.difficult()));
      }
      if (boxes.crowd() != null) {
        putInts(f, OBJECT_IS_CROWD, flags(boxes.crowd()));
      }
    }
    if (segmentationPng != null) {
      putBytes(f, SEGMENTATION_ENCODED, segmentationPng);
      putString(f, SEGMENTATION_FORMAT, FORMAT_PNG);
    }
    if (depth != null) {
      putBytes(f, DEPTH_ENCODED, depth.data());
      putString(f, DEPTH_FORMAT, depth.encoding().featureValue());
      if (depth.encoding() == DepthMap.Encoding.PNG16) {
        putFloats(f, DEPTH_SCALE, depth.scale());
      }
      putString(f, DEPTH_TYPE, depth.type().featureValue());
    }
    if (normals != null) {
      ByteBuffer b = ByteBuffer.allocate(normals.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(normals);
      putBytes(f, NORMALS_ENCODED, b.array());
      putString(f, NORMALS_FORMAT, FORMAT_RAW_FLOAT32);
    }
    return Example.newBuilder().setFeatures(f).build();
  }

  /** Serialized {@link #toExample()}: the payload of one TFRecord. */
  public byte[] toByteArray() {
    return toExample().toByteArray();
  }

  /** Parses a serialized {@code tf.train.Example}. */
  public static MultiTaskExample parseFrom(byte[] serialized) {
    try {
      return fromExample(Example.parseFrom(serialized));
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidExampleException("record is not a tf.train.Example: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an example written by {@link #toExample()} or by a TF Model Garden / Object Detection API
   * converter using the same keys. Unknown keys are ignored.
   *
   * @throws InvalidExampleException naming the offending key (and the source id) if a feature is
   *     missing, of the wrong type or inconsistent
   */
  public static MultiTaskExample fromExample(Example example) {
    Map<String, Feature> m = example.getFeatures().getFeatureMap();
    String id = m.containsKey(IMAGE_SOURCE_ID) ? string(m, IMAGE_SOURCE_ID, "?") : "";
    Reader r = new Reader(m, id);
    try {
      byte[] image = r.bytes(IMAGE_ENCODED);
      int height = (int) r.int64(IMAGE_HEIGHT);
      int width = (int) r.int64(IMAGE_WIDTH);
      String format = m.containsKey(IMAGE_FORMAT) ? r.string(IMAGE_FORMAT) : ImageCodecs.sniffFormat(image);
      if ("jpg".equals(format)) {
        format = FORMAT_JPEG;
      }
      Builder b = builder(image, format == null ? "" : format, height, width).sourceId(id);
      if (m.containsKey(CLASS_LABEL)) {
        b.classLabel((int) r.int64(CLASS_LABEL));
      }
      if (m.containsKey(CLASS_PROBABILITIES)) {
        b.classProbabilities(r.floats(CLASS_PROBABILITIES));
      }
      if (m.containsKey(BBOX_YMIN) || m.containsKey(OBJECT_CLASS_LABEL)) {
        float[] ymin = r.floats(BBOX_YMIN);
        float[] xmin = r.sameLength(BBOX_XMIN, r.floats(BBOX_XMIN), ymin.length);
        float[] ymax = r.sameLength(BBOX_YMAX, r.floats(BBOX_YMAX), ymin.length);
        float[] xmax = r.sameLength(BBOX_XMAX, r.floats(BBOX_XMAX), ymin.length);
        long[] cls = r.int64s(OBJECT_CLASS_LABEL);
        r.sameLength(OBJECT_CLASS_LABEL, cls, ymin.length);
        float[][] boxes = new float[ymin.length][];
        int[] classes = new int[ymin.length];
        for (int i = 0; i < boxes.length; i++) {
          boxes[i] = new float[] {ymin[i], xmin[i], ymax[i], xmax[i]};
          classes[i] = Math.toIntExact(cls[i]);
        }
        float[] scores = m.containsKey(OBJECT_SCORE)
            ? r.sameLength(OBJECT_SCORE, r.floats(OBJECT_SCORE), boxes.length) : null;
        boolean[] difficult = m.containsKey(OBJECT_DIFFICULT)
            ? bools(r.sameLength(OBJECT_DIFFICULT, r.int64s(OBJECT_DIFFICULT), boxes.length)) : null;
        boolean[] crowd = m.containsKey(OBJECT_IS_CROWD)
            ? bools(r.sameLength(OBJECT_IS_CROWD, r.int64s(OBJECT_IS_CROWD), boxes.length)) : null;
        try {
          b.boxes(ObjectBoxes.of(boxes, classes, scores, difficult, crowd));
        } catch (IllegalArgumentException e) {
          throw r.error("image/object/*", e.getMessage());
        }
      }
      if (m.containsKey(SEGMENTATION_ENCODED)) {
        String segFormat = m.containsKey(SEGMENTATION_FORMAT) ? r.string(SEGMENTATION_FORMAT) : FORMAT_PNG;
        if (!FORMAT_PNG.equals(segFormat)) {
          throw r.error(SEGMENTATION_FORMAT, "is '" + segFormat + "', only 'png' is supported");
        }
        b.segmentationPng(r.bytes(SEGMENTATION_ENCODED));
      }
      if (m.containsKey(DEPTH_ENCODED)) {
        DepthMap.Encoding enc = DepthMap.Encoding.fromFeatureValue(
            m.containsKey(DEPTH_FORMAT) ? r.string(DEPTH_FORMAT) : FORMAT_RAW_FLOAT32);
        float scale = enc == DepthMap.Encoding.PNG16 ? r.floats(DEPTH_SCALE, 1)[0] : 1f;
        DepthType type = DepthType.fromFeatureValue(m.containsKey(DEPTH_TYPE) ? r.string(DEPTH_TYPE) : DEPTH_METRIC);
        b.depth(DepthMap.encoded(enc, r.bytes(DEPTH_ENCODED), scale, type));
      }
      if (m.containsKey(NORMALS_ENCODED)) {
        String nf = m.containsKey(NORMALS_FORMAT) ? r.string(NORMALS_FORMAT) : FORMAT_RAW_FLOAT32;
        if (!FORMAT_RAW_FLOAT32.equals(nf)) {
          throw r.error(NORMALS_FORMAT, "is '" + nf + "', only 'raw_float32' is supported");
        }
        byte[] raw = r.bytes(NORMALS_ENCODED);
        if (raw.length != 12L * height * width) {
          throw r.error(NORMALS_ENCODED, "has " + raw.length + " bytes, expected 4*3*" + height + "*" + width);
        }
        float[] xyz = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(xyz);
        b.normals(xyz);
      }
      return b.build();
    } catch (InvalidExampleException e) {
      throw e;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new InvalidExampleException("example '" + id + "': " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MultiTaskExample e
        && Arrays.equals(image, e.image) && format.equals(e.format) && height == e.height
        && width == e.width && sourceId.equals(e.sourceId)
        && java.util.Objects.equals(classLabel, e.classLabel)
        && Arrays.equals(classProbabilities, e.classProbabilities)
        && java.util.Objects.equals(boxes, e.boxes)
        && Arrays.equals(segmentationPng, e.segmentationPng)
        && java.util.Objects.equals(depth, e.depth)
        && Arrays.equals(normals, e.normals);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(image) * 31 + sourceId.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("MultiTaskExample['").append(sourceId).append("', ")
        .append(format).append(' ').append(height).append('x').append(width);
    if (classLabel != null) {
      s.append(", label ").append(classLabel);
    }
    if (classProbabilities != null) {
      s.append(", ").append(classProbabilities.length).append(" probabilities");
    }
    if (boxes != null) {
      s.append(", ").append(boxes);
    }
    if (segmentationPng != null) {
      s.append(", segmentation");
    }
    if (depth != null) {
      s.append(", ").append(depth);
    }
    if (normals != null) {
      s.append(", normals");
    }
    return s.append(']').toString();
  }

  // ---- proto helpers ----

  private static void putBytes(Features.Builder f, String key, byte[] v) {
    f.putFeature(key, Feature.newBuilder().setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(v))).build());
  }

  private static void putString(Features.Builder f, String key, String v) {
    putBytes(f, key, v.getBytes(StandardCharsets.UTF_8));
  }

  private static void putInts(Features.Builder f, String key, long... v) {
    Int64List.Builder l = Int64List.newBuilder();
    for (long x : v) {
      l.addValue(x);
    }
    f.putFeature(key, Feature.newBuilder().setInt64List(l).build());
  }

  private static void putInts(Features.Builder f, String key, int[] v) {
    putInts(f, key, Arrays.stream(v).asLongStream().toArray());
  }

  private static void putFloats(Features.Builder f, String key, float... v) {
    FloatList.Builder l = FloatList.newBuilder();
    for (float x : v) {
      l.addValue(x);
    }
    f.putFeature(key, Feature.newBuilder().setFloatList(l).build());
  }

  private static long[] flags(boolean[] b) {
    long[] out = new long[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] ? 1 : 0;
    }
    return out;
  }

  private static boolean[] bools(long[] v) {
    boolean[] out = new boolean[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] != 0;
    }
    return out;
  }

  private static String string(Map<String, Feature> m, String key, String fallback) {
    Feature f = m.get(key);
    if (f.getKindCase() != Feature.KindCase.BYTES_LIST || f.getBytesList().getValueCount() != 1) {
      return fallback;
    }
    return f.getBytesList().getValue(0).toStringUtf8();
  }

  /** Typed access to features with errors that name the key and the example. */
  private record Reader(Map<String, Feature> m, String id) {
    InvalidExampleException error(String key, String message) {
      return new InvalidExampleException("example '" + id + "': feature '" + key + "' " + message);
    }

    Feature get(String key, Feature.KindCase kind) {
      Feature f = m.get(key);
      if (f == null) {
        throw error(key, "is missing");
      }
      if (f.getKindCase() != kind && f.getKindCase() != Feature.KindCase.KIND_NOT_SET) {
        throw error(key, "is a " + name(f.getKindCase()) + ", expected a " + name(kind));
      }
      return f;
    }

    byte[] bytes(String key) {
      List<ByteString> v = get(key, Feature.KindCase.BYTES_LIST).getBytesList().getValueList();
      if (v.size() != 1) {
        throw error(key, "has " + v.size() + " values, expected 1");
      }
      return v.get(0).toByteArray();
    }

    String string(String key) {
      return new String(bytes(key), StandardCharsets.UTF_8);
    }

    long[] int64s(String key) {
      return get(key, Feature.KindCase.INT64_LIST).getInt64List().getValueList().stream()
          .mapToLong(Long::longValue).toArray();
    }

    long int64(String key) {
      long[] v = int64s(key);
      if (v.length != 1) {
        throw error(key, "has " + v.length + " values, expected 1");
      }
      return v[0];
    }

    float[] floats(String key) {
      List<Float> l = get(key, Feature.KindCase.FLOAT_LIST).getFloatList().getValueList();
      float[] out = new float[l.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = l.get(i);
      }
      return out;
    }

    float[] floats(String key, int n) {
      return sameLength(key, floats(key), n);
    }

    <T> T sameLength(String key, T array, int n) {
      int len = java.lang.reflect.Array.getLength(array);
      if (len != n) {
        throw error(key, "has " + len + " values, expected " + n);
      }
      return array;
    }

    private static String name(Feature.KindCase k) {
      return switch (k) {
        case BYTES_LIST -> "bytes_list";
        case FLOAT_LIST -> "float_list";
        case INT64_LIST -> "int64_list";
        case KIND_NOT_SET -> "feature without values";
      };
    }
  }
}
