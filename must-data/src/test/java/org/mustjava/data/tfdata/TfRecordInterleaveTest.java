package org.mustjava.data.tfdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.io.Compression;
import org.mustjava.core.io.TFRecordWriter;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.data.ShuffleDataset;
import org.tensorflow.types.TString;

class TfRecordInterleaveTest {
  @TempDir Path dir;

  private Path write(String name, Compression c, String... recs) throws IOException {
    Path f = dir.resolve(name);
    TFRecordWriter.write(f, c, w -> {
      for (String r : recs) {
        w.write(r.getBytes());
      }
    });
    return f;
  }

  private List<Path> threeFiles() throws IOException {
    return List.of(
        write("a", Compression.NONE, "a0", "a1", "a2"),
        write("b.gz", Compression.GZIP, "b0"),
        write("c", Compression.NONE, "c0", "c1"));
  }

  private static List<String> drain(Graph g, RawDataset records) {
    Ops tf = Ops.create(g);
    NamedIterator it = NamedIterator.create(tf, "it", DatasetOptions.apply(tf, records));
    List<String> out = new ArrayList<>();
    try (Session s = new Session(g)) {
      it.initialize(s);
      while (true) {
        try (Result r = it.next(s)) {
          if (r == null) {
            return out;
          }
          out.add(new String(((TString) r.get(0)).asBytes().getObject()));
        }
      }
    }
  }

  @Test
  void cycleOneReadsTheFilesInOrderWithTheirOwnCompression() throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      RawDataset names = TfRecordInterleave.fileNames(tf, threeFiles(), Compression.AUTO);
      assertEquals(List.of("a0", "a1", "a2", "b0", "c0", "c1"),
          drain(g, TfRecordInterleave.records(tf, names, 1, 1, 1024)));
    }
  }

  @Test
  void cyclesAndBlocksInterleaveRecords() throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Path> files = threeFiles();
      // Two pipelines in one graph: the reader function is added to the library once.
      RawDataset byOne = TfRecordInterleave.records(
          tf, TfRecordInterleave.fileNames(tf, files, Compression.AUTO), 2, 1, 1024);
      RawDataset byTwo = TfRecordInterleave.records(
          tf, TfRecordInterleave.fileNames(tf, files, Compression.AUTO), 3, 2, 1024);
      // a and b open; when b ends the cycle moves on to a, and c opens in b's slot on the
      // cycle's next visit (TensorFlow's interleave order).
      assertEquals(List.of("a0", "b0", "a1", "a2", "c0", "c1"), drain(g, byOne));
      // Three files open, two records from each in turn.
      assertEquals(List.of("a0", "a1", "b0", "c0", "c1", "a2"), drain(g, byTwo));
    }
  }

  @Test
  void shuffledAndRepeatedFileNamesGiveANewFileOrderEachEpoch() throws IOException {
    List<Path> files = new ArrayList<>();
    for (int f = 0; f < 5; f++) {
      files.add(write("f" + f, Compression.NONE, "f" + f));
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      RawDataset names = TfRecordInterleave.fileNames(tf, files, Compression.NONE);
      RawDataset shuffled = new RawDataset(
          tf.data.shuffleDataset(names.handle(), tf.constant(5L), tf.constant(9L), tf.constant(1L),
              tf.random.dummySeedGenerator(), names.types(), names.shapes(),
              ShuffleDataset.reshuffleEachIteration(true)),
          names.types(), names.shapes());
      RawDataset repeated = new RawDataset(
          tf.data.repeatDataset(shuffled.handle(), tf.constant(4L), names.types(), names.shapes()),
          names.types(), names.shapes());
      List<String> all = drain(g, TfRecordInterleave.records(tf, repeated, 1, 1, 1024));
      assertEquals(20, all.size());
      List<List<String>> epochs = new ArrayList<>();
      for (int e = 0; e < 4; e++) {
        List<String> epoch = all.subList(5 * e, 5 * e + 5);
        assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), epoch.stream().sorted().toList());
        epochs.add(epoch);
      }
      assertTrue(epochs.stream().distinct().count() > 1, "file order differs between epochs: " + epochs);
    }
  }

  /** Why the FunctionDef is written by hand: TF Java cannot build a function returning a dataset. */
  @Test
  void concreteFunctionCannotReturnADataset() {
    try (Graph g = new Graph()) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ConcreteFunction.create(tf -> {
            Placeholder<TString> file = tf.placeholder(TString.class);
            Operand<?> records = tf.data.tfRecordDataset(
                file, tf.constant(""), tf.constant(1024L), tf.constant(new long[0]));
            return Signature.builder().input("filename", file).output("records", records).build();
          }));
      assertTrue(e.getMessage().contains("DT_VARIANT"), e.getMessage());
    }
  }
}
