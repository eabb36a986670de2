package org.mustjava.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.data.labels.LabelTypes;
import org.mustjava.core.io.Compression;
import org.mustjava.data.example.FeatureKeys;
import org.mustjava.data.tfdata.DatasetOptions;
import org.mustjava.data.tfdata.NamedIterator;
import org.mustjava.data.tfdata.TfRecordDatasets;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.image.DecodePng;
import org.tensorflow.op.io.DecodeRaw;
import org.tensorflow.op.io.ParseSingleExample;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * TensorFlow's own kernels read a synthetic shard (TFRecordDataset, ParseSingleExample,
 * DecodePng, DecodeRaw) and see exactly the generator's pixels and labels, normals included.
 */
class SyntheticTfNativeReadTest {

  private static final int SIZE = 24;

  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void tensorflowParsesEveryLabel() throws IOException {
    SceneGenerator generator = new SceneGenerator(SceneDomains.named("indoor"), SIZE, SIZE, 5, 2, 6, 2);
    int n = 3;
    List<Path> files = new SyntheticDatasetWriter(generator, LabelTypes.all(), 2)
        .write(dir.resolve("train"), n, 1, Compression.GZIP);

    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      NamedIterator it = NamedIterator.create(tf, "scenes", DatasetOptions.apply(tf,
          TfRecordDatasets.create(tf, files, Compression.GZIP, TfRecordDatasets.DEFAULT_BUFFER_BYTES)));
      Operand<TString> record = (Operand<TString>) it.next().get(0);
      Operand<TString> noString = tf.constant(Shape.of(0), DataBuffers.ofObjects(String.class, 0));
      Operand<TInt64> noLong = tf.constant(new long[0]);
      List<String> dense = List.of(FeatureKeys.IMAGE_ENCODED, FeatureKeys.CLASS_LABEL,
          FeatureKeys.SEGMENTATION_ENCODED, FeatureKeys.DEPTH_ENCODED, FeatureKeys.NORMALS_ENCODED);
      ParseSingleExample parsed = tf.io.parseSingleExample(record,
          List.of(noString, noLong, noString, noString, noString), 2L,
          List.of(FeatureKeys.BBOX_YMIN, FeatureKeys.OBJECT_CLASS_LABEL), dense,
          List.<Class<? extends TType>>of(TFloat32.class, TInt64.class),
          List.of(Shape.scalar(), Shape.scalar(), Shape.scalar(), Shape.scalar(), Shape.scalar()));
      List<Output<?>> values = parsed.denseValues();
      DecodePng<TUint8> rgb = tf.image.decodePng((Operand<TString>) values.get(0), TUint8.class,
          DecodePng.channels(3L));
      DecodePng<TUint8> seg = tf.image.decodePng((Operand<TString>) values.get(2), TUint8.class,
          DecodePng.channels(1L));
      DecodeRaw<TFloat32> depth = tf.io.decodeRaw((Operand<TString>) values.get(3), TFloat32.class,
          DecodeRaw.littleEndian(true));
      DecodeRaw<TFloat32> normals = tf.io.decodeRaw((Operand<TString>) values.get(4), TFloat32.class,
          DecodeRaw.littleEndian(true));

      it.initialize(s);
      for (int i = 0; i < n; i++) {
        SyntheticScene scene = generator.generate(i);
        SceneImage img = scene.image();
        try (Result r = s.runner().fetch(rgb).fetch(values.get(1)).fetch(seg).fetch(depth)
            .fetch(normals).fetch(parsed.sparseValues().get(0)).fetch(parsed.sparseValues().get(1))
            .run()) {
          TUint8 pixels = (TUint8) r.get(0);
          assertEquals(scene.imageClass(), ((TInt64) r.get(1)).getLong());
          TUint8 mask = (TUint8) r.get(2);
          TFloat32 d = (TFloat32) r.get(3);
          TFloat32 nrm = (TFloat32) r.get(4);
          assertEquals(SIZE * SIZE * 3, nrm.shape().get(0));
          for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
              int p = y * SIZE + x;
              assertEquals(img.semantic()[p], mask.getByte(y, x, 0));
              assertEquals(img.depth()[p], d.getFloat(p));
              for (int c = 0; c < 3; c++) {
                assertEquals(img.rgb()[3 * p + c], pixels.getByte(y, x, c));
                assertEquals(img.normals()[3 * p + c], nrm.getFloat(3 * p + c));
              }
            }
          }
          TFloat32 ymin = (TFloat32) r.get(5);
          TInt64 classes = (TInt64) r.get(6);
          assertEquals(scene.boxes().size(), ymin.shape().get(0));
          for (int k = 0; k < scene.boxes().size(); k++) {
            assertEquals(scene.boxes().get(k).box().toYxyx()[0], ymin.getFloat(k));
            assertEquals(scene.boxes().get(k).classId(), classes.getLong(k));
          }
        }
      }
    }
  }
}
