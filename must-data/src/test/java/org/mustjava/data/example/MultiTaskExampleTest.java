package org.mustjava.data.example;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.labels.ExampleFeatures;
import org.mustjava.data.labels.LabelOptions;
import org.mustjava.data.labels.LabelRecordCodec;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.data.pipeline.ElementSpec;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.FloatList;
import org.tensorflow.proto.Int64List;
import org.tensorflow.types.TInt32;

class MultiTaskExampleTest {
  static final int H = 4;
  static final int W = 6;

  /** An example carrying every task's label. */
  static MultiTaskExample full() {
    byte[] seg = new byte[H * W];
    for (int i = 0; i < seg.length; i++) {
      seg[i] = (byte) (i % 5 == 0 ? 255 : i % 3);
    }
    float[] depth = new float[H * W];
    float[] normals = new float[H * W * 3];
    for (int i = 0; i < depth.length; i++) {
      depth[i] = 0.5f + i * 0.125f;
      normals[3 * i + 2] = -1f;
    }
    normals[0] = 0.6f;
    normals[2] = -0.8f;
    return MultiTaskExample.builder(ImageCodecs.encodeRgbPng(ImageCodecsTest.gradientRgb(H, W), H, W), "png", H, W)
        .sourceId("scene-17")
        .classLabel(3)
        .classProbabilities(new float[] {0.1f, 0.2f, 0.0f, 0.7f})
        .boxes(ObjectBoxes.of(new float[][] {{0.1f, 0.2f, 0.5f, 0.9f}, {0f, 0f, 1f, 1f}}, new int[] {4, 0},
            new float[] {0.9f, 0.35f}, new boolean[] {false, true}, new boolean[] {true, false}))
        .segmentation(seg)
        .depth(DepthMap.rawFloat32(depth, false))
        .normals(normals)
        .build();
  }

  @Test
  void everyFeatureRoundTrips() {
    MultiTaskExample e = full();
    Example proto = e.toExample();
    var m = proto.getFeatures().getFeatureMap();
    assertEquals(H, m.get(FeatureKeys.IMAGE_HEIGHT).getInt64List().getValue(0));
    assertEquals("png", m.get(FeatureKeys.IMAGE_FORMAT).getBytesList().getValue(0).toStringUtf8());
    assertEquals(0.5f, m.get(FeatureKeys.BBOX_YMAX).getFloatList().getValue(0));
    assertEquals(4 * H * W, m.get(FeatureKeys.DEPTH_ENCODED).getBytesList().getValue(0).size());
    assertEquals("raw_float32", m.get(FeatureKeys.DEPTH_FORMAT).getBytesList().getValue(0).toStringUtf8());
    assertEquals(1L, m.get(FeatureKeys.OBJECT_DIFFICULT).getInt64List().getValue(1));

    MultiTaskExample back = MultiTaskExample.parseFrom(e.toByteArray());
    assertEquals(e, back);
    assertEquals(3, back.classLabel().getAsInt());
    assertArrayEquals(new float[] {0.9f, 0.35f}, back.boxes().get().scores());
    assertEquals(255, back.segmentation().get()[0] & 0xff);
    assertEquals(0.625f, back.depth().get().toFloats(H, W)[1]);
    assertEquals(-0.8f, back.normals().get()[2]);
  }

  @Test
  void minimalExampleHasOnlyImageKeys() {
    byte[] png = ImageCodecs.encodeRgbPng(new byte[12], 2, 2);
    MultiTaskExample e = MultiTaskExample.builder(png, "png", 2, 2).build();
    assertEquals(5, e.toExample().getFeatures().getFeatureCount());
    MultiTaskExample back = MultiTaskExample.fromExample(e.toExample());
    assertFalse(back.classLabel().isPresent());
    assertFalse(back.boxes().isPresent());
    assertEquals(e, back);
  }

  @Test
  void png16DepthAndRelativeDepth() {
    char[] mm = new char[H * W];
    for (int i = 0; i < mm.length; i++) {
      mm[i] = (char) (i * 1000);
    }
    MultiTaskExample e = MultiTaskExample.builder(full().encodedImage(), "png", H, W)
        .depth(DepthMap.png16(mm, H, W, 0.001f)).build();
    var m = e.toExample().getFeatures().getFeatureMap();
    assertEquals("png16", m.get(FeatureKeys.DEPTH_FORMAT).getBytesList().getValue(0).toStringUtf8());
    assertEquals(0.001f, m.get(FeatureKeys.DEPTH_SCALE).getFloatList().getValue(0));
    float[] metres = MultiTaskExample.fromExample(e.toExample()).depth().get().toFloats(H, W);
    assertEquals(0f, metres[0]);
    assertEquals(3f, metres[3], 1e-6f);

    MultiTaskExample rel = MultiTaskExample.builder(full().encodedImage(), "png", H, W)
        .depth(DepthMap.rawFloat32(new float[H * W], true)).build();
    assertEquals("relative", rel.toExample().getFeatures().getFeatureMap().get(FeatureKeys.DEPTH_TYPE)
        .getBytesList().getValue(0).toStringUtf8());
    assertTrue(MultiTaskExample.fromExample(rel.toExample()).depth().get().relative());

    MultiTaskExample inv = MultiTaskExample.builder(full().encodedImage(), "png", H, W)
        .depth(DepthMap.rawFloat32(new float[H * W], DepthType.INVERSE_RELATIVE)).build();
    assertEquals("inverse_relative", inv.toExample().getFeatures().getFeatureMap().get(FeatureKeys.DEPTH_TYPE)
        .getBytesList().getValue(0).toStringUtf8());
    DepthMap back = MultiTaskExample.fromExample(inv.toExample()).depth().get();
    assertEquals(DepthType.INVERSE_RELATIVE, back.type());
    assertTrue(back.relative());
    assertInvalid(withFeature(inv.toExample(), FeatureKeys.DEPTH_TYPE, Feature.newBuilder()
        .setBytesList(org.tensorflow.proto.BytesList.newBuilder().addValue(com.google.protobuf.ByteString.copyFromUtf8("disparity"))).build()),
        "image/depth/type", "disparity", "inverse_relative");
  }

  private static Example withFeature(Example e, String key, Feature f) {
    return e.toBuilder().setFeatures(e.getFeatures().toBuilder().putFeature(key, f)).build();
  }

  private static Example without(Example e, String key) {
    return e.toBuilder().setFeatures(e.getFeatures().toBuilder().removeFeature(key)).build();
  }

  private static void assertInvalid(Example e, String... fragments) {
    InvalidExampleException ex = assertThrows(InvalidExampleException.class, () -> MultiTaskExample.fromExample(e));
    for (String f : fragments) {
      assertTrue(ex.getMessage().contains(f), ex.getMessage() + " should mention " + f);
    }
  }

  @Test
  void badExamplesNameTheKey() {
    Example good = full().toExample();
    assertInvalid(without(good, FeatureKeys.IMAGE_ENCODED), "image/encoded", "missing", "scene-17");
    assertInvalid(withFeature(good, FeatureKeys.IMAGE_HEIGHT,
        Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(4f)).build()),
        "image/height", "float_list", "int64_list");
    assertInvalid(withFeature(good, FeatureKeys.BBOX_XMIN,
        Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(0.1f)).build()),
        "image/object/bbox/xmin", "1 values, expected 2");
    assertInvalid(withFeature(good, FeatureKeys.OBJECT_CLASS_LABEL,
        Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(1)).build()),
        "image/object/class/label");
    assertInvalid(withFeature(good, FeatureKeys.NORMALS_ENCODED, Feature.newBuilder()
        .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(new byte[12]))).build()),
        "image/normals/encoded", "bytes");
    assertInvalid(withFeature(good, FeatureKeys.DEPTH_FORMAT, Feature.newBuilder()
        .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFromUtf8("exr"))).build()),
        "image/depth/format", "exr");
    assertInvalid(withFeature(good, FeatureKeys.BBOX_YMAX,
        Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(1.5f).addValue(1f)).build()),
        "not normalised");
    assertThrows(InvalidExampleException.class, () -> MultiTaskExample.parseFrom(new byte[] {1, 2, 3}));
  }

  @Test
  void rawDepthSizeIsChecked() {
    byte[] png = full().encodedImage();
    ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    assertThrows(IllegalArgumentException.class, () -> MultiTaskExample.builder(png, "png", H, W)
        .depth(DepthMap.encoded(DepthMap.Encoding.RAW_FLOAT32, b.array(), 1f, false)));
    assertThrows(IllegalArgumentException.class, () -> MultiTaskExample.builder(png, "gif", H, W));
    assertThrows(IllegalArgumentException.class, () -> ObjectBoxes.of(new float[][] {{0.5f, 0f, 0.4f, 1f}}, new int[] {1}));
  }

  /**
   * The record {@link #full()} must serialize to, built here from the feature keys of
   * docs/tfrecord-features.md in the order the codec writes them (image, then the label types in
   * registry order): records written before the codec moved into the label types read and write the
   * same, byte for byte.
   */
  @Test
  void fullExampleIsTheDocumentedRecordByteForByte() {
    MultiTaskExample e = full();
    Example.Builder golden = Example.newBuilder();
    var f = golden.getFeaturesBuilder();
    f.putFeature(FeatureKeys.IMAGE_ENCODED, bytes(e.encodedImage()));
    f.putFeature(FeatureKeys.IMAGE_FORMAT, string("png"));
    f.putFeature(FeatureKeys.IMAGE_HEIGHT, ints(H));
    f.putFeature(FeatureKeys.IMAGE_WIDTH, ints(W));
    f.putFeature(FeatureKeys.IMAGE_SOURCE_ID, string("scene-17"));
    f.putFeature(FeatureKeys.CLASS_LABEL, ints(3));
    f.putFeature(FeatureKeys.CLASS_PROBABILITIES, floats(0.1f, 0.2f, 0.0f, 0.7f));
    f.putFeature(FeatureKeys.BBOX_YMIN, floats(0.1f, 0f));
    f.putFeature(FeatureKeys.BBOX_XMIN, floats(0.2f, 0f));
    f.putFeature(FeatureKeys.BBOX_YMAX, floats(0.5f, 1f));
    f.putFeature(FeatureKeys.BBOX_XMAX, floats(0.9f, 1f));
    f.putFeature(FeatureKeys.OBJECT_CLASS_LABEL, ints(4, 0));
    f.putFeature(FeatureKeys.OBJECT_SCORE, floats(0.9f, 0.35f));
    f.putFeature(FeatureKeys.OBJECT_DIFFICULT, ints(0, 1));
    f.putFeature(FeatureKeys.OBJECT_IS_CROWD, ints(1, 0));
    f.putFeature(FeatureKeys.SEGMENTATION_ENCODED, bytes(e.segmentationPng().get()));
    f.putFeature(FeatureKeys.SEGMENTATION_FORMAT, string("png"));
    ByteBuffer depth = ByteBuffer.allocate(4 * H * W).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer normals = ByteBuffer.allocate(12 * H * W).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < H * W; i++) {
      depth.putFloat(0.5f + i * 0.125f);
      normals.putFloat(i == 0 ? 0.6f : 0f).putFloat(0f).putFloat(i == 0 ? -0.8f : -1f);
    }
    f.putFeature(FeatureKeys.DEPTH_ENCODED, bytes(depth.array()));
    f.putFeature(FeatureKeys.DEPTH_FORMAT, string("raw_float32"));
    f.putFeature(FeatureKeys.DEPTH_TYPE, string("metric"));
    f.putFeature(FeatureKeys.NORMALS_ENCODED, bytes(normals.array()));
    f.putFeature(FeatureKeys.NORMALS_FORMAT, string("raw_float32"));
    Example expected = golden.build();

    assertEquals(expected.getFeatures().getFeatureMap(), e.toExample().getFeatures().getFeatureMap());
    assertArrayEquals(expected.toByteArray(), e.toByteArray());
    assertEquals(e, MultiTaskExample.parseFrom(expected.toByteArray()));
  }

  /** A label type defined only here, with its own key: its record codec is all the Java side needs. */
  private static final class Tags implements LabelType, LabelRecordCodec<long[]> {
    static final String KEY = "test/tags";

    @Override
    public String name() {
      return "tags";
    }

    @Override
    public Optional<LabelRecordCodec<?>> recordCodec() {
      return Optional.of(this);
    }

    @Override
    public Class<long[]> valueType() {
      return long[].class;
    }

    @Override
    public boolean inRecord(FeatureReader r) {
      return r.has(KEY);
    }

    @Override
    public long[] read(FeatureReader r, int height, int width) {
      return r.int64s(KEY);
    }

    @Override
    public void write(long[] tags, FeatureWriter w) {
      w.int64s(KEY, tags);
    }

    @Override
    public long[] copy(long[] tags) {
      return tags.clone();
    }

    // The input pipeline side is not exercised here (NewLabelTypeTest does that).
    @Override
    public void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Sample decode(Ops tf, ExampleFeatures features, LabelOptions options, Sample sample,
        Operand<TInt32> height, Operand<TInt32> width) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void addComponents(ElementSpec spec, LabelOptions options) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void putComponents(Ops tf, Sample sample, LabelOptions options, Map<String, Operand<?>> out) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void aNewLabelTypeIsWrittenAndReadThroughItsOwnCodec() {
    Tags tags = new Tags();
    MultiTaskExample e = MultiTaskExample.builder(full().encodedImage(), "png", H, W)
        .classLabel(2).label(tags, new long[] {7, 11}).build();
    Example proto = e.toExample();
    assertEquals(7L, proto.getFeatures().getFeatureMap().get(Tags.KEY).getInt64List().getValue(0));
    // Built-in types only: the unknown key is ignored.
    assertEquals(List.of(LabelTypes.CLASSIFICATION), List.copyOf(MultiTaskExample.fromExample(proto).labelTypes()));
    MultiTaskExample back = MultiTaskExample.fromExample(proto, List.of(LabelTypes.CLASSIFICATION, tags));
    assertEquals(e, back);
    assertArrayEquals(new long[] {7, 11}, (long[]) back.label(tags).orElseThrow());
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> MultiTaskExample.builder(full().encodedImage(), "png", H, W).label(tags, "7"));
    assertTrue(wrong.getMessage().contains("long[]"), wrong.getMessage());
  }

  private static Feature bytes(byte[] v) {
    return Feature.newBuilder().setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(v))).build();
  }

  private static Feature string(String v) {
    return bytes(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Feature ints(long... v) {
    Int64List.Builder l = Int64List.newBuilder();
    for (long x : v) {
      l.addValue(x);
    }
    return Feature.newBuilder().setInt64List(l).build();
  }

  private static Feature floats(float... v) {
    FloatList.Builder l = FloatList.newBuilder();
    for (float x : v) {
      l.addValue(x);
    }
    return Feature.newBuilder().setFloatList(l).build();
  }
}
