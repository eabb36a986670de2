package org.mustjava.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class CheckpointManagerTest {
  @TempDir Path dir;

  @Test
  void keepsTheNewestKAndRestores() throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      ModelVariable w = ctx.getOrCreate("w", Shape.of(2), Initializers.zeros(), true, false);
      Ops tf = ctx.tf();
      var add = tf.assignAdd(w.variable(), tf.constant(new float[] {1f, 2f}));
      Saver saver = new Saver(ctx.scope("saver").tf(), List.of(CheckpointVariable.of(w)));
      CheckpointManager m = new CheckpointManager(dir, 2);
      s.initialize();
      for (long step = 1; step <= 3; step++) {
        s.runner().addTarget(add).run();
        m.save(s, saver, step * 10);
      }
      assertEquals(List.of(20L, 30L), m.checkpoints().stream().map(CheckpointInfo::step).toList());
      assertFalse(Files.exists(dir.resolve("ckpt-10")));
      CheckpointManifest manifest = CheckpointManifest.read(m.latest().get().manifestFile());
      assertEquals(30, manifest.step());
      assertEquals(List.of(2L), java.util.Arrays.stream(manifest.entries().get("w").shape()).boxed().toList());
      saver.restore(s, m.checkpoints().get(0).prefix());
      try (Result r = s.runner().fetch(w.variable()).run()) {
        assertEquals(2f, ((TFloat32) r.get(0)).getFloat(0));
        assertEquals(4f, ((TFloat32) r.get(0)).getFloat(1));
      }
    }
  }

  @Test
  void crashLeftoversNeverHideTheLatestGoodCheckpoint() throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      ModelVariable w = ctx.getOrCreate("w", Shape.of(1), Initializers.ones(), true, false);
      Saver saver = new Saver(ctx.scope("saver").tf(), List.of(CheckpointVariable.of(w)));
      CheckpointManager m = new CheckpointManager(dir, 3);
      s.initialize();
      m.save(s, saver, 10);
      // A crash mid-save leaves a temporary directory with partial files...
      Path tmp = Files.createDirectory(dir.resolve(".ckpt-20.deadbeef.tmp"));
      Files.write(tmp.resolve("ckpt.data-00000-of-00001"), new byte[] {1, 2, 3});
      // ...and a crash after the rename but before the index update leaves an unindexed directory.
      Path unindexed = Files.createDirectory(dir.resolve("ckpt-30"));
      Files.writeString(unindexed.resolve("manifest.json"), "{}");
      assertEquals(10, m.latest().orElseThrow().step());
      m.save(s, saver, 20);
      assertEquals(List.of(10L, 20L), m.checkpoints().stream().map(CheckpointInfo::step).toList());
      assertFalse(Files.exists(tmp), "temporary leftovers are removed by the next save");
      assertFalse(Files.exists(unindexed), "unindexed directories are removed by the next save");
    }
  }

  @Test
  void anIndexNamingMissingCheckpointsFallsBackToTheNewestCompleteOneWithAWarning() throws Exception {
    Files.createDirectories(dir);
    Path complete = Files.createDirectory(dir.resolve("ckpt-3"));
    Files.writeString(complete.resolve("manifest.json"), "{}");
    Files.writeString(dir.resolve("index.json"),
        "{\"checkpoints\": [{\"step\": 3, \"directory\": \"ckpt-3\"}, {\"step\": 5, \"directory\": \"ckpt-5\"}]}");
    List<String> warnings = new ArrayList<>();
    assertEquals(3, new CheckpointManager(dir, 2, warnings::add).latest().orElseThrow().step());
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).contains("[ckpt-5]") && warnings.get(0).contains("newest complete"), warnings.get(0));

    // Only missing entries: the complete directories on disk are used.
    Files.writeString(dir.resolve("index.json"), "{\"checkpoints\": [{\"step\": 5, \"directory\": \"ckpt-5\"}]}");
    warnings.clear();
    assertEquals(3, new CheckpointManager(dir, 2, warnings::add).latest().orElseThrow().step());
    assertEquals(1, warnings.size());
    Files.delete(complete.resolve("manifest.json"));
    assertTrue(new CheckpointManager(dir, 2, warnings::add).latest().isEmpty());
  }

  @Test
  void aMalformedIndexIsAClearError() throws Exception {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("index.json"), "{not json");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CheckpointManager(dir, 1).latest());
    assertTrue(e.getMessage().contains("malformed checkpoint index"), e.getMessage());
  }
}
