package org.mustjava.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.Initializers;
import org.mustjava.core.graph.ModelVariable;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/** Restoring backbone and FPN from another model's checkpoint, with every difference reported. */
class PartialRestoreTest {
  @TempDir Path dir;
  CheckpointInfo source;

  @BeforeEach
  void writeSourceCheckpoint() throws Exception {
    // The "pre-trained" model: backbone, fpn, a 10-class head, an optimiser slot.
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 1);
      List<CheckpointVariable> vars = new ArrayList<>();
      vars.add(CheckpointVariable.of(ctx.scope("backbone").getOrCreate("kernel", Shape.of(2, 2), Initializers.constant(7f), true, true)));
      vars.add(CheckpointVariable.of(ctx.scope("fpn").getOrCreate("kernel", Shape.of(3), Initializers.constant(8f), true, true)));
      vars.add(CheckpointVariable.of(ctx.scope("heads").getOrCreate("kernel", Shape.of(4, 10), Initializers.constant(9f), true, true)));
      vars.add(CheckpointVariable.of(ctx.scope("optimizer").scope("momentum").scope("backbone")
          .getOrCreate("kernel", Shape.of(2, 2), Initializers.constant(1f), false, false)));
      s.initialize();
      source = new CheckpointManager(dir.resolve("pretrained"), 1).save(s, new Saver(ctx.scope("saver").tf(), vars), 100);
    }
  }

  @Test
  void restoresSelectedPrefixesOnly() throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 2);
      ModelVariable backbone = ctx.scope("backbone").getOrCreate("kernel", Shape.of(2, 2), Initializers.zeros(), true, true);
      ModelVariable fpn = ctx.scope("fpn").getOrCreate("kernel", Shape.of(3), Initializers.zeros(), true, true);
      ModelVariable head = ctx.scope("heads").getOrCreate("kernel", Shape.of(4, 5), Initializers.zeros(), true, true);
      s.initialize();
      PartialRestore restore = new PartialRestore(dir.resolve("pretrained").toString(), List.of("backbone/", "fpn/"), List.of());
      RestoreReport report = restore.restore(s, ctx.tf(), vars(backbone, fpn, head));
      assertEquals(List.of("backbone/kernel", "fpn/kernel"), report.restored());
      assertTrue(report.ok());
      assertEquals(7f, value(s, backbone));
      assertEquals(8f, value(s, fpn));
      assertEquals(0f, value(s, head), "the new head keeps its initial value");
    }
  }

  @Test
  void mismatchesAreReportedAndNothingIsRestored() throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 2);
      ModelVariable backbone = ctx.scope("backbone").getOrCreate("kernel", Shape.of(2, 2), Initializers.zeros(), true, true);
      ModelVariable extraConv = ctx.scope("backbone").getOrCreate("extra", Shape.of(1), Initializers.zeros(), true, true);
      ModelVariable head = ctx.scope("heads").getOrCreate("kernel", Shape.of(4, 5), Initializers.zeros(), true, true);
      s.initialize();
      List<CheckpointVariable> model = vars(backbone, extraConv, head);
      PartialRestore all = new PartialRestore(source.directory().toString(), List.of(""), List.of());
      CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class, () -> all.restore(s, ctx.tf(), model));
      String msg = e.getMessage();
      assertTrue(msg.contains("missing: backbone/extra"), msg);
      assertTrue(msg.contains("extra: fpn/kernel"), msg);
      assertTrue(msg.contains("extra: optimizer/momentum/backbone/kernel"), msg);
      assertTrue(msg.contains("mismatch: heads/kernel: model float32[4, 5], checkpoint float32[4, 10]"), msg);
      assertEquals(0f, value(s, backbone), "nothing restored");

      // Declared differences are accepted; the rest is restored.
      PartialRestore lenient = new PartialRestore(source.prefix(), List.of(""),
          List.of("heads/", "backbone/extra", "fpn/", "optimizer/"));
      RestoreReport report = lenient.restore(s, ctx.tf(), model);
      assertEquals(List.of("backbone/kernel"), report.restored());
      assertEquals(List.of("backbone/extra"), report.missing());
      assertEquals(7f, value(s, backbone));
    }
  }

  private static List<CheckpointVariable> vars(ModelVariable... vs) {
    List<CheckpointVariable> out = new ArrayList<>();
    for (ModelVariable v : vs) out.add(CheckpointVariable.of(v));
    return out;
  }

  /** The first element of a variable. */
  private static float value(Session s, ModelVariable v) {
    try (Result r = s.runner().fetch(v.variable()).run()) {
      return ((TFloat32) r.get(0)).asRawTensor().data().asFloats().getFloat(0);
    }
  }
}
