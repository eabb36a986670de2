package org.mustjava.data.tfdata;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordReader;
import org.mustjava.core.io.TFRecordWriter;
import org.mustjava.data.example.DepthMap;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.example.ImageCodecs;
import org.mustjava.data.example.MultiTaskExample;
import org.mustjava.data.example.ObjectBoxes;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.op.io.DecodeRaw;
import org.tensorflow.op.io.ParseExample;
import org.tensorflow.op.io.ParseSingleExample;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * Proves byte compatibility with TensorFlow's own C++ kernels, both directions: TF's writer
 * ({@code DatasetToTFRecord}) -> our reader, and our writer -> TF's reader ({@code TFRecordDatasetV2})
 * and parsers ({@code ParseSingleExample}, {@code ParseExample}, {@code DecodeRaw}, {@code DecodePng}).
 */
class TfNativeCompatibilityTest {
  @TempDir Path dir;

  private static List<byte[]> randomRecords(int n, long seed) {
    Random rnd = new Random(seed);
    List<byte[]> recs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[i == 3 ? 0 : rnd.nextInt(i == 7 ? 300_000 : 500)];
      rnd.nextBytes(b);
      recs.add(b);
    }
    return recs;
  }

  private static TString bytesTensor(List<byte[]> recs) {
    return TString.tensorOfBytes(NdArrays.vectorOfObjects(recs.toArray(new byte[0][])));
  }

  // ---- (a) TensorFlow writes, Java reads ----

  @Test
  void tensorflowWriterJavaReader() throws IOException {
    List<byte[]> recs = randomRecords(40, 1);
    for (Compression c : List.of(Compression.NONE, Compression.GZIP)) {
      Path file = dir.resolve("tf-written-" + c);
      try (Graph g = new Graph(); Session s = new Session(g); TString data = bytesTensor(recs)) {
        Ops tf = Ops.create(g);
        var slices = tf.data.tensorSliceDataset(List.of(tf.constantOf(data)), List.of(Shape.scalar()));
        var write = tf.data.datasetToTfRecord(slices, tf.constant(file.toString()), tf.constant(c.tfName()));
        s.runner().addTarget(write).run().close();
      }
      try (TFRecordReader r = TFRecordReader.open(file)) {
        assertEquals(c == Compression.GZIP, r.isGzip(), "detected by content, no .gz suffix");
        for (int i = 0; i < recs.size(); i++) {
          assertArrayEquals(recs.get(i), r.read(), c + " record " + i);
        }
        assertNull(r.read());
        assertEquals(0, r.corruptCount());
      }
      if (c == Compression.NONE) {
        // TF's plain file is byte-identical to ours.
        Path ours = dir.resolve("java-written");
        TFRecordWriter.write(ours, Compression.NONE, w -> recs.forEach(rec -> {
          try {
            w.write(rec);
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(ours));
      }
    }
  }

  // ---- (b) Java writes, TensorFlow reads and parses ----

  static final int H = 6;
  static final int W = 5;

  private static List<MultiTaskExample> examples() {
    List<MultiTaskExample> out = new ArrayList<>();
    Random rnd = new Random(3);
    for (int i = 0; i < 5; i++) {
      byte[] rgb = new byte[H * W * 3];
      rnd.nextBytes(rgb);
      byte[] seg = new byte[H * W];
      float[] depth = new float[H * W];
      for (int p = 0; p < seg.length; p++) {
        seg[p] = (byte) (p % 7 == i ? 255 : (p + i) % 4);
        depth[p] = 0.25f * p + i;
      }
      int n = i; // 0..4 boxes, including an image without boxes
      float[][] boxes = new float[n][];
      int[] classes = new int[n];
      for (int k = 0; k < n; k++) {
        boxes[k] = new float[] {0.1f * k, 0.05f, 0.1f * k + 0.3f, 0.5f + 0.1f * k};
        classes[k] = k + i;
      }
      out.add(MultiTaskExample.builder(ImageCodecs.encodeRgbPng(rgb, H, W), "png", H, W)
          .sourceId("img-" + i)
          .classLabel(i % 3)
          .boxes(ObjectBoxes.of(boxes, classes))
          .segmentation(seg)
          .depth(DepthMap.rawFloat32(depth, false))
          .build());
    }
    return out;
  }

  private Path writeExamples(String name, Compression c, List<MultiTaskExample> exs) throws IOException {
    Path f = dir.resolve(name);
    try (TFRecordWriter w = TFRecordWriter.create(f, c)) {
      for (MultiTaskExample e : exs) {
        w.write(e.toByteArray());
      }
      w.commit();
    }
    return f;
  }

  private static Operand<TString> emptyString(Ops tf) {
    return tf.constant(Shape.of(0), DataBuffers.ofObjects(String.class, 0));
  }

  private static Operand<TString> strings(Ops tf, String... values) {
    return values.length == 0 ? emptyString(tf) : tf.constant(StandardCharsets.UTF_8, values);
  }

  private static Operand<TInt64> emptyLong(Ops tf) {
    return tf.constant(new long[0]);
  }

  @Test
  void javaWriterTensorflowReaderAndParseSingleExample() throws IOException {
    List<MultiTaskExample> exs = examples();
    for (Compression c : List.of(Compression.NONE, Compression.GZIP)) {
      // GZIP given by content only: TF is told explicitly via the detected compression.
      Path file = writeExamples("java-" + c, c, exs);
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        RawDataset ds = DatasetOptions.apply(tf, TfRecordDatasets.create(tf, List.of(file)));
        NamedIterator it = NamedIterator.create(tf, "examples", ds);
        @SuppressWarnings("unchecked")
        Operand<TString> record = (Operand<TString>) it.next().get(0);
        List<String> denseKeys = List.of(FeatureKeys.IMAGE_ENCODED, FeatureKeys.IMAGE_HEIGHT,
            FeatureKeys.IMAGE_WIDTH, FeatureKeys.CLASS_LABEL, FeatureKeys.IMAGE_SOURCE_ID,
            FeatureKeys.SEGMENTATION_ENCODED, FeatureKeys.DEPTH_ENCODED);
        List<Operand<?>> defaults = List.of(emptyString(tf), emptyLong(tf), emptyLong(tf), emptyLong(tf),
            emptyString(tf), emptyString(tf), emptyString(tf));
        List<String> sparseKeys = List.of(FeatureKeys.BBOX_YMIN, FeatureKeys.BBOX_XMAX, FeatureKeys.OBJECT_CLASS_LABEL);
        List<Class<? extends TType>> sparseTypes = List.of(TFloat32.class, TFloat32.class, TInt64.class);
        ParseSingleExample parsed = tf.io.parseSingleExample(record, defaults, 3L, sparseKeys, denseKeys,
            sparseTypes, List.of(Shape.scalar(), Shape.scalar(), Shape.scalar(), Shape.scalar(),
                Shape.scalar(), Shape.scalar(), Shape.scalar()));
        List<Output<?>> dense = parsed.denseValues();
        @SuppressWarnings("unchecked")
        DecodePng<TUint8> seg = tf.image.decodePng((Operand<TString>) dense.get(5), TUint8.class, DecodePng.channels(1L));
        @SuppressWarnings("unchecked")
        DecodeRaw<TFloat32> depth = tf.io.decodeRaw((Operand<TString>) dense.get(6), TFloat32.class,
            DecodeRaw.littleEndian(true));
        @SuppressWarnings("unchecked")
        DecodePng<TUint8> image = tf.image.decodePng((Operand<TString>) dense.get(0), TUint8.class, DecodePng.channels(3L));

        it.initialize(s);
        for (int i = 0; i < exs.size(); i++) {
          MultiTaskExample e = exs.get(i);
          Session.Runner r = s.runner().fetch(record);
          dense.forEach(r::fetch);
          parsed.sparseValues().forEach(r::fetch);
          r.fetch(seg).fetch(depth).fetch(image);
          try (Result res = r.run()) {
            assertArrayEquals(e.toByteArray(), ((TString) res.get(0)).asBytes().getObject(), c + " record " + i);
            assertArrayEquals(e.encodedImage(), ((TString) res.get(1)).asBytes().getObject());
            assertEquals(H, ((TInt64) res.get(2)).getLong());
            assertEquals(W, ((TInt64) res.get(3)).getLong());
            assertEquals(e.classLabel().getAsInt(), ((TInt64) res.get(4)).getLong());
            assertEquals("img-" + i, new String(((TString) res.get(5)).asBytes().getObject(), StandardCharsets.UTF_8));
            ObjectBoxes b = e.boxes().get();
            TFloat32 ymin = (TFloat32) res.get(8);
            TFloat32 xmax = (TFloat32) res.get(9);
            TInt64 cls = (TInt64) res.get(10);
            assertEquals(b.size(), ymin.shape().get(0));
            for (int k = 0; k < b.size(); k++) {
              assertEquals(b.box(k).toYxyx()[0], ymin.getFloat(k));
              assertEquals(b.box(k).toYxyx()[3], xmax.getFloat(k));
              assertEquals(b.classes()[k], cls.getLong(k));
            }
            TUint8 segPixels = (TUint8) res.get(11);
            assertEquals(Shape.of(H, W, 1), segPixels.shape());
            byte[] expectedSeg = e.segmentation().get();
            TFloat32 depthValues = (TFloat32) res.get(12);
            float[] expectedDepth = e.depth().get().toFloats(H, W);
            assertEquals(H * W, depthValues.shape().get(0));
            TUint8 rgb = (TUint8) res.get(13);
            byte[] expectedRgb = ImageCodecs.decodeRgb(e.encodedImage()).data();
            for (int y = 0; y < H; y++) {
              for (int x = 0; x < W; x++) {
                assertEquals(expectedSeg[y * W + x], segPixels.getByte(y, x, 0));
                assertEquals(expectedDepth[y * W + x], depthValues.getFloat(y * W + x));
                for (int ch = 0; ch < 3; ch++) {
                  assertEquals(expectedRgb[(y * W + x) * 3 + ch], rgb.getByte(y, x, ch));
                }
              }
            }
          }
        }
        assertNull(it.next(s), "end of sequence after " + exs.size() + " records");
      }
    }
  }

  @Test
  void parseExampleOnABatchReadByTensorflow() throws IOException {
    List<MultiTaskExample> exs = examples();
    Path file = writeExamples("batch.tfrecord.gz", Compression.AUTO, exs);
    List<byte[]> recordsReadByTf = new ArrayList<>();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      NamedIterator it = NamedIterator.create(tf, "records",
          DatasetOptions.apply(tf, TfRecordDatasets.create(tf, List.of(file), Compression.GZIP, 1 << 16)));
      it.initialize(s);
      while (true) {
        try (Result r = it.next(s)) {
          if (r == null) {
            break;
          }
          recordsReadByTf.add(((TString) r.get(0)).asBytes().getObject());
        }
      }
    }
    assertEquals(exs.size(), recordsReadByTf.size());
    try (Graph g = new Graph(); Session s = new Session(g); TString batch = bytesTensor(recordsReadByTf)) {
      Ops tf = Ops.create(g);
      ParseExample p = tf.io.parseExample(tf.constantOf(batch), emptyString(tf),
          strings(tf, FeatureKeys.BBOX_XMIN),
          strings(tf, FeatureKeys.IMAGE_HEIGHT, FeatureKeys.CLASS_LABEL),
          emptyString(tf),
          List.of(emptyLong(tf), emptyLong(tf)), 1L, List.of(TFloat32.class), List.of(), List.of(),
          List.of(Shape.scalar(), Shape.scalar()));
      try (Result r = s.runner().fetch(p.denseValues().get(0)).fetch(p.denseValues().get(1))
          .fetch(p.sparseIndices().get(0)).fetch(p.sparseValues().get(0)).run()) {
        TInt64 heights = (TInt64) r.get(0);
        TInt64 labels = (TInt64) r.get(1);
        TInt64 indices = (TInt64) r.get(2);
        TFloat32 xmin = (TFloat32) r.get(3);
        int total = 0;
        for (int i = 0; i < exs.size(); i++) {
          assertEquals(H, heights.getLong(i));
          assertEquals(exs.get(i).classLabel().getAsInt(), labels.getLong(i));
          ObjectBoxes b = exs.get(i).boxes().get();
          for (int k = 0; k < b.size(); k++, total++) {
            assertEquals(i, indices.getLong(total, 0));
            assertEquals(k, indices.getLong(total, 1));
            assertEquals(b.box(k).toYxyx()[1], xmin.getFloat(total));
          }
        }
        assertEquals(total, xmin.shape().get(0));
      }
    }
  }

  // ---- (c) TensorFlow detects corruption in Java-written files ----

  @Test
  void tensorflowRejectsACorruptedByte() throws IOException {
    List<byte[]> recs = randomRecords(6, 9);
    Path file = dir.resolve("corrupt.tfrecord");
    TFRecordWriter.write(file, Compression.NONE, w -> {
      for (byte[] r : recs) {
        w.write(r);
      }
    });
    byte[] bytes = Files.readAllBytes(file);
    long offset = 0;
    for (int i = 0; i < 2; i++) {
      offset += 16 + recs.get(i).length;
    }
    bytes[(int) offset + 12 + recs.get(2).length / 2] ^= 0x10; // inside the data of record 2
    Files.write(file, bytes);

    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      NamedIterator it = NamedIterator.create(tf, "corrupt",
          DatasetOptions.apply(tf, TfRecordDatasets.create(tf, List.of(file))));
      it.initialize(s);
      for (int i = 0; i < 2; i++) {
        try (Result r = it.next(s)) {
          assertNotNull(r);
          assertArrayEquals(recs.get(i), ((TString) r.get(0)).asBytes().getObject());
        }
      }
      TensorFlowException e = assertThrows(TensorFlowException.class, () -> it.next(s));
      assertFalse(NamedIterator.isEndOfSequence(e));
      assertTrue(e.getMessage().toLowerCase().contains("corrupt"), e.getMessage());
    }
  }
}
