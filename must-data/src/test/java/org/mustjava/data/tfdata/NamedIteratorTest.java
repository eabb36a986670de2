package org.mustjava.data.tfdata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TString;

class NamedIteratorTest {
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

  private static List<String> drain(NamedIterator it, Session s) {
    List<String> out = new ArrayList<>();
    while (true) {
      try (Result r = it.next(s)) {
        if (r == null) {
          return out;
        }
        out.add(new String(((TString) r.get(0)).asBytes().getObject()));
      }
    }
  }

  @Test
  void iteratesAcrossRunsOverSeveralFilesAndRestarts() throws IOException {
    List<Path> files = List.of(write("a", Compression.NONE, "a0", "a1"), write("b", Compression.NONE, "b0"));
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      RawDataset ds = DatasetOptions.apply(tf, TfRecordDatasets.create(tf, files));
      NamedIterator first = NamedIterator.create(tf, "train", ds);
      NamedIterator second = NamedIterator.create(tf, "train", ds);
      assertTrue(first.resource().op().name().startsWith("train"));
      first.initialize(s);
      second.initialize(s);
      // Each element takes its own Session.run: the named iterator keeps its position.
      assertEquals(List.of("a0", "a1", "b0"), drain(first, s));
      assertNull(first.next(s), "stays exhausted");
      assertEquals(List.of("a0", "a1", "b0"), drain(second, s), "independent iterator");
      first.initialize(s);
      assertEquals(List.of("a0", "a1", "b0"), drain(first, s), "re-initialising restarts");
    }
  }

  @Test
  void autoCompressionMustAgreeAcrossFiles() throws IOException {
    Path plain = write("p", Compression.NONE, "x");
    Path gz = write("z", Compression.GZIP, "y");
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> TfRecordDatasets.create(tf, List.of(plain, gz)));
      assertTrue(e.getMessage().contains("mix compressions"), e.getMessage());
    }
  }

  @Test
  void optionsTurnDefaultOptimisationsOff() throws Exception {
    var opts = org.tensorflow.proto.data.DatasetOptions.Options.parseFrom(
        DatasetOptions.serialize(DatasetOptions.with(true, 2)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    assertFalse(opts.getOptimizationOptions().getApplyDefaultOptimizations());
    assertTrue(opts.getOptimizationOptions().hasApplyDefaultOptimizations(), "explicitly set, not defaulted");
    assertTrue(opts.getDeterministic());
    assertEquals(2, opts.getThreadingOptions().getPrivateThreadpoolSize());
  }
}
