package org.mustjava.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * BatchNorm folding on small hand-built graphs: a conv -> BiasAdd -> BatchNorm chain whose filter is
 * a resource variable (frozen first) and a conv -> BatchNorm chain are folded and compute the same;
 * a training-mode BatchNorm is left alone.
 */
class InferenceGraphOptimizerTest {
  private static final Random RND = new Random(9);

  private static float[] random(int n, float lo, float hi) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * RND.nextFloat();
    return v;
  }

  @Test
  void foldsInferenceBatchNormsIntoConvolutionsAndKeepsTheOutput() throws Exception {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 6, 6, 2)));
      // Conv (resource-variable filter) -> BiasAdd -> BatchNorm (inference) -> Relu.
      VarHandleOp w1 = tf.withName("w1").varHandleOp(TFloat32.class, Shape.of(3, 3, 2, 4));
      Operand<TFloat32> f1 = tf.readVariableOp(w1, TFloat32.class);
      Operand<TFloat32> c1 = tf.nn.conv2d(x, f1, List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> b1 = tf.nn.biasAdd(c1, tf.constant(random(4, -1, 1)));
      Operand<TFloat32> y1 = tf.nn.relu(bn(tf, b1, 4, false));
      // Conv (constant filter) -> BatchNorm (inference).
      Operand<TFloat32> c2 = tf.nn.conv2d(y1, tf.constant(reshape(random(4 * 3, -1, 1))), List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> y2 = bn(tf, c2, 3, false);
      // Conv -> BatchNorm in training mode: not folded.
      Operand<TFloat32> c3 = tf.nn.conv2d(y2, tf.constant(new float[][][][] {{{{1f, -1f}, {0.5f, 2f}, {1f, 1f}}}}),
          List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> out = tf.withName("out").identity(tf.math.add(bn(tf, c3, 2, true), tf.constant(0f)));
      s.runner().addTarget(tf.assignVariableOp(w1, tf.constant(org.tensorflow.ndarray.StdArrays.ndCopyOf(filter())))).run();

      InferenceGraphOptimizer.Optimized opt = InferenceGraphOptimizer.optimize(g.toGraphDef(), s, List.of("out"));
      assertEquals(2, opt.foldedBatchNorms());
      assertEquals(1, opt.frozenVariables());
      GraphDef def = opt.graphDef();
      assertEquals(1, def.getNodeList().stream().filter(n -> n.getOp().startsWith("FusedBatchNorm")).count(),
          "only the training-mode BatchNorm is left");
      assertTrue(def.getNodeList().stream().noneMatch(n -> n.getOp().equals("VarHandleOp") || n.getOp().equals("AssignVariableOp")));

      try (TFloat32 input = TFloat32.tensorOf(Shape.of(2, 6, 6, 2), d -> d.copyFrom(DataBuffers.of(random(144, -2, 2), false, false)));
          Graph g2 = new Graph()) {
        g2.importGraphDef(def);
        try (Session s2 = new Session(g2);
            Result a = s.runner().feed(x, input).fetch(out).run();
            Result b = s2.runner().feed("x", input).fetch("out").run()) {
          float[] u = values((TFloat32) a.get(0));
          float[] v = values((TFloat32) b.get(0));
          double maxAbs = 0;
          for (float f : u) maxAbs = Math.max(maxAbs, Math.abs(f));
          assertTrue(maxAbs > 0.1);
          for (int i = 0; i < u.length; i++) assertEquals(u[i], v[i], 1e-4 * Math.max(1, maxAbs), "element " + i);
        }
      }
    }
  }

  private static Operand<TFloat32> bn(Ops tf, Operand<TFloat32> x, int c, boolean training) {
    return tf.nn.fusedBatchNorm(x, tf.constant(random(c, 0.5f, 1.5f)), tf.constant(random(c, -0.5f, 0.5f)),
        training ? tf.constant(new float[0]) : tf.constant(random(c, -0.5f, 0.5f)),
        training ? tf.constant(new float[0]) : tf.constant(random(c, 0.5f, 1.5f)),
        FusedBatchNorm.epsilon(1e-3f), FusedBatchNorm.isTraining(training), FusedBatchNorm.dataFormat("NHWC")).y();
  }

  private static float[][][][] filter() {
    float[][][][] w = new float[3][3][2][4];
    for (float[][][] a : w) for (float[][] b : a) for (float[] c : b) for (int k = 0; k < 4; k++) c[k] = RND.nextFloat() - 0.5f;
    return w;
  }

  private static float[][][][] reshape(float[] v) {
    float[][][][] w = new float[1][1][4][3];
    for (int i = 0; i < 4; i++) for (int k = 0; k < 3; k++) w[0][0][i][k] = v[i * 3 + k];
    return w;
  }

  private static float[] values(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(v, false, false));
    return v;
  }
}
