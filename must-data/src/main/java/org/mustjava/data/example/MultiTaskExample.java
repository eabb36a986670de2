package org.mustjava.data.example;

import static org.mustjava.data.example.FeatureKeys.*;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.mustjava.data.labels.LabelRecordCodec;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Features;

/**
 * One image with any subset of the MuST task labels, and its {@code tf.train.Example} form (keys in
 * {@link FeatureKeys}, spec in {@code docs/tfrecord-features.md}).
 *
 * <p>Each label is the value of one {@link LabelType} (a {@link ClassLabel}, {@link ObjectBoxes},
 * segmentation PNG, {@link DepthMap}, normals), and each label type reads and writes its own
 * features through its {@link LabelRecordCodec}; this class writes the image features and then the
 * labels in {@link LabelTypes} order. The typed accessors below are shorthands for the built-in
 * types; {@link Builder#label} and {@link #label} take any type with a record codec.
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
  /** Label values by type, each accepted by its type's record codec. */
  private final Map<LabelType, Object> labels;

  private MultiTaskExample(Builder b) {
    this.image = b.image;
    this.format = b.format;
    this.height = b.height;
    this.width = b.width;
    this.sourceId = b.sourceId;
    this.labels = new LinkedHashMap<>();
    for (LabelType t : LabelTypes.ordered(b.labels.keySet())) {
      labels.put(t, b.labels.get(t));
    }
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
    private final Map<LabelType, Object> labels = new LinkedHashMap<>();

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

    /**
     * Sets the label of {@code type}, a value of its record codec's {@link
     * LabelRecordCodec#valueType()} (checked against the image size and copied if mutable).
     */
    public Builder label(LabelType type, Object value) {
      labels.put(type, accept(codecOf(type), value, height, width));
      return this;
    }

    /** Hard class label. */
    public Builder classLabel(int label) {
      ClassLabel old = (ClassLabel) labels.get(LabelTypes.CLASSIFICATION);
      return label(LabelTypes.CLASSIFICATION, old == null ? ClassLabel.of(label, null) : old.withLabel(label));
    }

    /** Soft class label: one non-negative probability per class. */
    public Builder classProbabilities(float[] probabilities) {
      ClassLabel old = (ClassLabel) labels.get(LabelTypes.CLASSIFICATION);
      return label(LabelTypes.CLASSIFICATION,
          old == null ? ClassLabel.of(null, probabilities) : old.withProbabilities(probabilities));
    }

    public Builder boxes(ObjectBoxes b) {
      return label(LabelTypes.DETECTION, b);
    }

    /** Encoded 8-bit gray PNG of class indices at image resolution, 255 = ignore. */
    public Builder segmentationPng(byte[] png) {
      return label(LabelTypes.SEGMENTATION, png);
    }

    /** Class indices (HxW, row-major, 255 = ignore), encoded here as PNG. */
    public Builder segmentation(byte[] classes) {
      return segmentationPng(ImageCodecs.encodeGray8Png(classes, height, width));
    }

    public Builder depth(DepthMap d) {
      return label(LabelTypes.DEPTH, d);
    }

    /** Unit normals, HxWx3 row-major (see {@link FeatureKeys#NORMALS_ENCODED} for the frame). */
    public Builder normals(float[] xyz) {
      return label(LabelTypes.NORMALS, xyz);
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

  /** The label types this example has a label of, in {@link LabelTypes} order. */
  public Set<LabelType> labelTypes() {
    return Collections.unmodifiableSet(labels.keySet());
  }

  /** The label of {@code type} (a copy if mutable), if this example has one. */
  public Optional<Object> label(LabelType type) {
    Object v = labels.get(type);
    return v == null ? Optional.empty() : Optional.of(copy(codecOf(type), v));
  }

  private <V> Optional<V> builtIn(LabelType type, Class<V> valueType) {
    return label(type).map(valueType::cast);
  }

  /** The classification label (hard and/or soft), if any. */
  public Optional<ClassLabel> classification() {
    return builtIn(LabelTypes.CLASSIFICATION, ClassLabel.class);
  }

  public OptionalInt classLabel() {
    return classification().map(ClassLabel::label).orElse(OptionalInt.empty());
  }

  public Optional<float[]> classProbabilities() {
    return classification().flatMap(ClassLabel::probabilities);
  }

  public Optional<ObjectBoxes> boxes() {
    return builtIn(LabelTypes.DETECTION, ObjectBoxes.class);
  }

  public Optional<byte[]> segmentationPng() {
    return builtIn(LabelTypes.SEGMENTATION, byte[].class);
  }

  /** Decoded class indices of the segmentation (HxW, values 0..255 as unsigned bytes). */
  public Optional<byte[]> segmentation() {
    byte[] segmentationPng = (byte[]) labels.get(LabelTypes.SEGMENTATION);
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
    return builtIn(LabelTypes.DEPTH, DepthMap.class);
  }

  public Optional<float[]> normals() {
    return builtIn(LabelTypes.NORMALS, float[].class);
  }

  /** The {@code tf.train.Example} holding this image and its labels. */
  public Example toExample() {
    Features.Builder f = Features.newBuilder();
    FeatureWriter w = new FeatureWriter(f);
    w.bytes(IMAGE_ENCODED, image);
    w.string(IMAGE_FORMAT, format);
    w.int64s(IMAGE_HEIGHT, height);
    w.int64s(IMAGE_WIDTH, width);
    w.string(IMAGE_SOURCE_ID, sourceId);
    labels.forEach((type, value) -> write(codecOf(type), value, w));
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
   * converter using the same keys, with the labels of the built-in label types. Unknown keys are
   * ignored.
   *
   * @throws InvalidExampleException naming the offending key (and the source id) if a feature is
   *     missing, of the wrong type or inconsistent
   */
  public static MultiTaskExample fromExample(Example example) {
    return fromExample(example, LabelTypes.builtIn());
  }

  /** {@link #fromExample(Example)} reading the labels of {@code types} (those with a record codec). */
  public static MultiTaskExample fromExample(Example example, Collection<? extends LabelType> types) {
    Map<String, Feature> m = example.getFeatures().getFeatureMap();
    String id = m.containsKey(IMAGE_SOURCE_ID) ? string(m, IMAGE_SOURCE_ID, "?") : "";
    FeatureReader r = new FeatureReader(m, id);
    try {
      byte[] image = r.bytes(IMAGE_ENCODED);
      int height = (int) r.int64(IMAGE_HEIGHT);
      int width = (int) r.int64(IMAGE_WIDTH);
      String format = m.containsKey(IMAGE_FORMAT) ? r.string(IMAGE_FORMAT) : ImageCodecs.sniffFormat(image);
      if ("jpg".equals(format)) {
        format = FORMAT_JPEG;
      }
      Builder b = builder(image, format == null ? "" : format, height, width).sourceId(id);
      for (LabelType type : types) {
        Optional<LabelRecordCodec<?>> codec = type.recordCodec();
        if (codec.isPresent() && codec.get().inRecord(r)) {
          b.label(type, codec.get().read(r, height, width));
        }
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
    if (!(o instanceof MultiTaskExample e)
        || !Arrays.equals(image, e.image) || !format.equals(e.format) || height != e.height
        || width != e.width || !sourceId.equals(e.sourceId) || !labels.keySet().equals(e.labels.keySet())) {
      return false;
    }
    for (Map.Entry<LabelType, Object> l : labels.entrySet()) {
      if (!Objects.deepEquals(l.getValue(), e.labels.get(l.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(image) * 31 + sourceId.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("MultiTaskExample['").append(sourceId).append("', ")
        .append(format).append(' ').append(height).append('x').append(width);
    labels.forEach((type, value) -> s.append(", ").append(describe(codecOf(type), value)));
    return s.append(']').toString();
  }

  // ---- label values through their type's codec ----

  private static LabelRecordCodec<?> codecOf(LabelType type) {
    return type.recordCodec().orElseThrow(() -> new IllegalArgumentException(
        "label type '" + type.name() + "' has no record codec: it cannot be stored in a MultiTaskExample"));
  }

  private static <V> V accept(LabelRecordCodec<V> codec, Object value, int height, int width) {
    if (!codec.valueType().isInstance(value)) {
      throw new IllegalArgumentException("a label of this type is a " + codec.valueType().getSimpleName()
          + ", got " + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    return codec.accept(codec.valueType().cast(value), height, width);
  }

  private static <V> V copy(LabelRecordCodec<V> codec, Object value) {
    return codec.copy(codec.valueType().cast(value));
  }

  private static <V> void write(LabelRecordCodec<V> codec, Object value, FeatureWriter w) {
    codec.write(codec.valueType().cast(value), w);
  }

  private static <V> String describe(LabelRecordCodec<V> codec, Object value) {
    return codec.describe(codec.valueType().cast(value));
  }

  private static String string(Map<String, Feature> m, String key, String fallback) {
    Feature f = m.get(key);
    if (f.getKindCase() != Feature.KindCase.BYTES_LIST || f.getBytesList().getValueCount() != 1) {
      return fallback;
    }
    return f.getBytesList().getValue(0).toStringUtf8();
  }
}
