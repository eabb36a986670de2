package org.mustjava.data.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.augment.FieldGeometry;
import org.mustjava.data.augment.Sample;
import org.mustjava.data.labels.ExampleFeatures;
import org.mustjava.data.labels.LabelOptions;
import org.mustjava.data.labels.LabelType;
import org.mustjava.data.labels.LabelTypes;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.io.DecodeRaw;
import org.tensorflow.proto.BytesList;
import org.tensorflow.proto.Example;
import org.tensorflow.proto.Feature;
import org.tensorflow.proto.Int64List;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * The label type is the one place: a label type defined only here (a per-pixel "stripe" map and a
 * per-image id, with their own feature keys) flows through decoding, flip, scale/crop/pad and
 * batching next to the built-in ones, without any other file knowing it.
 */
class NewLabelTypeTest {
  @TempDir Path dir;

  private static final String MAP_KEY = "test/stripe/raw";
  private static final String ID_KEY = "test/stripe/id";
  private static final int PAD = 9;

  /** Stripe map: uint8 HxW raw bytes (class = column), moved like a label map, padded with 9. */
  private static final LabelType STRIPES = new LabelType() {
    @Override
    public String name() {
      return "stripes";
    }

    @Override
    public void requestFeatures(Ops tf, ExampleFeatures features, LabelOptions options) {
      features.dense(MAP_KEY, TString.class, Shape.scalar(), null);
      features.dense(ID_KEY, TInt64.class, Shape.scalar(), null);
    }

    @Override
    public Sample decode(Ops tf, ExampleFeatures features, LabelOptions options, Sample sample,
        Operand<TInt32> height, Operand<TInt32> width) {
      Operand<TUint8> raw = tf.io.decodeRaw(features.<TString>get(MAP_KEY), TUint8.class, DecodeRaw.littleEndian(true));
      Operand<TInt32> map = tf.dtypes.cast(tf.reshape(raw, tf.stack(List.of(height, width, tf.constant(1)))), TInt32.class);
      return sample.with("stripes", map, FieldGeometry.labelMap(PAD))
          .with("stripe_id", tf.dtypes.cast(features.<TInt64>get(ID_KEY), TInt32.class), FieldGeometry.NONE);
    }

    @Override
    public void addComponents(ElementSpec spec, LabelOptions options) {
      long s = options.imageSize();
      spec.add("stripes", TInt32.class, Shape.of(s, s), PAD);
      spec.add("stripe_id", TInt32.class, Shape.scalar(), -1);
    }

    @Override
    public void putComponents(Ops tf, Sample sample, LabelOptions options, Map<String, Operand<?>> out) {
      out.put("stripes", tf.squeeze(sample.<TInt32>field("stripes"), Squeeze.axis(List.of(2L))));
      out.put("stripe_id", sample.field("stripe_id"));
    }
  };

  /** TinyRecords' examples (6x8, green channel = column) plus a stripe map (= column) and id 100 + i. */
  private Path write(int n) throws IOException {
    Path file = dir.resolve("stripes-00000-of-00001");
    try (TFRecordWriter w = TFRecordWriter.create(file, Compression.NONE)) {
      for (int i = 0; i < n; i++) {
        byte[] stripes = new byte[TinyRecords.H * TinyRecords.W];
        for (int p = 0; p < stripes.length; p++) {
          stripes[p] = (byte) (p % TinyRecords.W);
        }
        Example.Builder e = TinyRecords.example(i).toExample().toBuilder();
        e.getFeaturesBuilder()
            .putFeature(MAP_KEY, Feature.newBuilder()
                .setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(stripes))).build())
            .putFeature(ID_KEY, Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(100 + i)).build());
        w.write(e.build().toByteArray());
      }
      w.commit();
    }
    return file;
  }

  @Test
  void evaluationResizesAndPadsTheNewMapWithTheImage() throws IOException {
    write(3);
    InputPipeline pipeline = InputPipeline.builder(
            List.of(dir.resolve("stripes-*").toString()), Set.of(STRIPES, LabelTypes.SEGMENTATION))
        .training(false).batchSize(3).imageSize(8).build();
    try (BatchFetcher f = new BatchFetcher(pipeline); BatchFetcher.Fetched b = f.next()) {
      int[][][] stripes = ints3(b.get("stripes"));
      int[][][] segmentation = ints3(b.get(InputBatch.SEGMENTATION));
      assertArrayEquals(new int[] {100, 101, 102}, ints1(b.get("stripe_id")));
      for (int i = 0; i < 3; i++) {
        // 6x8 fits 8x8 at scale 1: rows 0..5 are the map, rows 6..7 this type's padding, like the
        // built-in segmentation's (255).
        for (int y = 0; y < 8; y++) {
          for (int x = 0; x < 8; x++) {
            assertEquals(y < 6 ? x : PAD, stripes[i][y][x], "example " + i + " (" + y + ", " + x + ")");
            assertEquals(y < 6, segmentation[i][y][x] != 255);
          }
        }
      }
    }
  }

  @Test
  void trainingFlipsTheNewMapWithTheImage() throws IOException {
    write(8);
    InputPipeline pipeline = InputPipeline.builder(List.of(dir.resolve("stripes-*").toString()), Set.of(STRIPES))
        .training(true).seed(3L).batchSize(8).imageSize(8).scaleJitter(1f, 1f).shuffleBuffer(1).build();
    try (BatchFetcher f = new BatchFetcher(pipeline); BatchFetcher.Fetched b = f.next()) {
      int[][][] stripes = ints3(b.get("stripes"));
      float[][][][] image = floats4(b.get(InputBatch.IMAGE));
      int flipped = 0;
      for (int i = 0; i < 8; i++) {
        // Green = column before any flip: the image is mirrored iff its green falls along the row.
        boolean mirrored = image[i][0][0][1] > image[i][0][7][1];
        flipped += mirrored ? 1 : 0;
        for (int x = 0; x < 8; x++) {
          assertEquals(mirrored ? 7 - x : x, stripes[i][0][x], "example " + i + " column " + x);
          assertEquals(PAD, stripes[i][7][x]);
        }
      }
      assertTrue(flipped > 0 && flipped < 8, "some but not all of 8 examples flipped: " + flipped);
    }
  }

  private static int[] ints1(TInt32 t) {
    int[] out = new int[(int) t.shape().get(0)];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.getInt(i);
    }
    return out;
  }

  private static int[][][] ints3(TInt32 t) {
    long[] s = t.shape().asArray();
    int[][][] out = new int[(int) s[0]][(int) s[1]][(int) s[2]];
    for (int i = 0; i < s[0]; i++) {
      for (int y = 0; y < s[1]; y++) {
        for (int x = 0; x < s[2]; x++) {
          out[i][y][x] = t.getInt(i, y, x);
        }
      }
    }
    return out;
  }

  private static float[][][][] floats4(TFloat32 t) {
    long[] s = t.shape().asArray();
    float[][][][] out = new float[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
    for (int i = 0; i < s[0]; i++) {
      for (int y = 0; y < s[1]; y++) {
        for (int x = 0; x < s[2]; x++) {
          for (int c = 0; c < s[3]; c++) {
            out[i][y][x][c] = t.getFloat(i, y, x, c);
          }
        }
      }
    }
    return out;
  }
}
