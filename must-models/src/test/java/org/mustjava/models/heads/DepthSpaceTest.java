package org.mustjava.models.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mustjava.data.example.DepthType;
import org.mustjava.models.losses.ScaleShiftInvariantDepthLoss;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Depth labels are brought into the head's prediction space before the scale-and-shift-invariant
 * loss, which then aligns in that space: an inverse-depth head whose output is an affine map of
 * 1/z has zero loss against metric labels z (converted to 1/z) and against inverse-relative
 * labels; pairs without an exact conversion fail naming the head.
 */
class DepthSpaceTest {
  /** Metric depth of the 1 x 2 x 3 test images. */
  private static final float[][] Z = {{2, 4, 5}, {8, 10, 1}};

  private static float[][][] map(java.util.function.DoubleUnaryOperator f) {
    float[][][] out = new float[1][2][3];
    for (int y = 0; y < 2; y++) for (int x = 0; x < 3; x++) out[0][y][x] = (float) f.applyAsDouble(Z[y][x]);
    return out;
  }

  /** Two images stacked: [2, 2, 3]. */
  private static float[][][] stack(float[][][] a, float[][][] b) {
    return new float[][][] {a[0], b[0]};
  }

  private static float loss(DepthSpace space, float[][][] prediction, float[][][] labels, float[][][] valid,
      int[] types) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> v = tf.constant(valid);
      Operand<TFloat32> target = space.labels(tf, tf.constant(labels), v, tf.constant(types), "depth");
      Operand<TFloat32> l = new ScaleShiftInvariantDepthLoss().compute(tf, tf.constant(prediction), target, v);
      try (TFloat32 t = (TFloat32) s.runner().fetch(l).run().get(0)) {
        return t.getFloat();
      }
    }
  }

  private static float[][][] ones(int b) {
    float[][][] out = new float[b][2][3];
    for (float[][] im : out) for (float[] row : im) java.util.Arrays.fill(row, 1f);
    return out;
  }

  @Test
  void inverseDepthHeadAlignsAgainstMetricAndInverseRelativeLabels() {
    float[][][] inverse = map(z -> 3 / z + 0.5); // the head's output: an affine map of 1/z
    float[][][] metric = map(z -> z);
    float[][][] midas = map(z -> 7 / z - 2); // inverse depth, another scale and shift
    int metricCode = DepthType.METRIC.code();
    int midasCode = DepthType.INVERSE_RELATIVE.code();
    float both = loss(DepthSpace.INVERSE_DEPTH, stack(inverse, inverse), stack(metric, midas), ones(2),
        new int[] {metricCode, midasCode});
    assertEquals(0f, both, 1e-6f);
    // Without the conversion the metric label is not an affine map of the prediction: a real loss.
    float unconverted = loss(DepthSpace.DEPTH, inverse, metric, ones(1), new int[] {metricCode});
    assertTrue(unconverted > 0.01f, "1/z against z: " + unconverted);
    // A depth head with metric and relative labels: as before, labels as they are.
    float depth = loss(DepthSpace.DEPTH, map(z -> 2 * z - 1), map(z -> z), ones(1),
        new int[] {DepthType.RELATIVE.code()});
    assertEquals(0f, depth, 1e-6f);
  }

  @Test
  void labelsWithoutAnExactConversionFailNamingTheHead() {
    float[][][] p = map(z -> z);
    Exception e = assertThrows(Exception.class,
        () -> loss(DepthSpace.DEPTH, p, p, ones(1), new int[] {DepthType.INVERSE_RELATIVE.code()}));
    // TensorFlow escapes the quotes of an assertion message.
    String message = e.getMessage().replace("\\'", "'");
    assertTrue(message.contains("depth head 'depth' predicts depth") && message.contains("'inverse_relative'"),
        message);
    e = assertThrows(Exception.class,
        () -> loss(DepthSpace.INVERSE_DEPTH, p, p, ones(1), new int[] {DepthType.RELATIVE.code()}));
    message = e.getMessage().replace("\\'", "'");
    assertTrue(message.contains("predicts inverse_depth") && message.contains("'relative'"), message);
    // An example without valid pixels (no depth label) never fails, whatever its type code.
    assertEquals(0f, loss(DepthSpace.DEPTH, p, p, new float[1][2][3], new int[] {DepthType.INVERSE_RELATIVE.code()}));
  }

  @Test
  void parsesTheConfigNames() {
    assertEquals(DepthSpace.INVERSE_DEPTH, DepthSpace.parse("inverse_depth"));
    assertEquals("depth", DepthSpace.DEPTH.configName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DepthSpace.parse("disparity"));
    assertTrue(e.getMessage().contains("'disparity'"), e.getMessage());
  }
}
