package org.mustjava.models.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;

class RoiSamplerTest {
  private static final BoxCoder CODER = new BoxCoder(List.of(10, 10, 5, 5));

  @Test
  void samplesForegroundFractionWithGroundTruthAdded() {
    Random random = new Random(5);
    int p = 600;
    float[][][] proposals = new float[1][p][];
    boolean[][] valid = new boolean[1][p];
    for (int i = 0; i < p; i++) {
      // 200 proposals jittered around gt 0 (most with IoU >= 0.5), the rest anywhere.
      if (i < 200) {
        float d = random.nextFloat() * 6 - 3;
        proposals[0][i] = new float[] {20 + d, 30 + d, 60 + d, 90 - d};
      } else {
        float y = random.nextFloat() * 150;
        float x = random.nextFloat() * 150;
        proposals[0][i] = new float[] {y, x, y + 5 + random.nextFloat() * 40, x + 5 + random.nextFloat() * 40};
      }
      valid[0][i] = i < 590;
    }
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var gt = GroundTruth.of(tf, tf.constant(new float[][][] {{{20, 30, 60, 90}, {100, 100, 140, 120}, {0, 0, 0, 0}}}),
          tf.constant(new int[][] {{2, 7, 0}}), tf.constant(new int[] {2}), 7);
      var props = new Proposals(tf.constant(proposals), tf.zeros(tf.constant(new int[] {1, p}), org.tensorflow.types.TFloat32.class),
          tf.constant(valid));
      SampledRois rois = RoiSampler.defaults().sample(tf, props, gt, CODER, tf.constant(new long[] {1, 1}));
      var v = GraphTestSupport.run(s, rois.boxes(), rois.classes(), rois.boxTargets(), rois.foreground(), rois.valid());
      assertArrayEquals(new long[] {1, 512, 4}, v.get(0).shape());
      assertEquals(128, v.get(3).count(), "25% of 512 foreground (enough candidates)");
      assertEquals(512, v.get(4).count());
      for (int r = 0; r < 512; r++) {
        int cls = v.get(1).i(0, r);
        boolean fg = v.get(3).f(0, r) == 1;
        assertEquals(fg, cls != 0, "foreground ROIs and only they have a class");
        if (fg) assertTrue(cls == 2 || cls == 7);
        if (cls == 7) {
          // Only gt 1 itself overlaps gt 1: the added ground-truth box, encoded relative to itself.
          for (int c = 0; c < 4; c++) assertEquals(0f, v.get(2).f(0, r, c), 1e-4);
        }
        if (!fg) for (int c = 0; c < 4; c++) assertEquals(0f, v.get(2).f(0, r, c));
      }
    }
  }

  @Test
  void padsWhenThereAreFewerCandidatesThanSamples() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var gt = GroundTruth.of(tf, tf.constant(new float[][][] {{{0, 0, 10, 10}}, {{0, 0, 0, 0}}}),
          tf.constant(new int[][] {{1}, {0}}), tf.constant(new int[] {1, 0}), 1);
      var props = new Proposals(
          tf.constant(new float[][][] {{{0, 0, 10, 9}, {50, 50, 60, 60}, {0, 0, 0, 0}}, {{1, 1, 5, 5}, {0, 0, 0, 0}, {0, 0, 0, 0}}}),
          tf.zeros(tf.constant(new int[] {2, 3}), org.tensorflow.types.TFloat32.class),
          tf.constant(new boolean[][] {{true, true, false}, {true, false, false}}));
      SampledRois rois = new RoiSampler(16, 0.25f, 0.5f, 0.5f, 0f, true).sample(tf, props, gt, CODER, tf.constant(new long[] {1, 2}));
      var v = GraphTestSupport.run(s, rois.classes(), rois.foreground(), rois.valid());
      assertArrayEquals(new long[] {2, 16}, v.get(0).shape());
      float fg0 = 0;
      float valid0 = 0;
      float fg1 = 0;
      float valid1 = 0;
      for (int r = 0; r < 16; r++) {
        fg0 += v.get(1).f(0, r);
        valid0 += v.get(2).f(0, r);
        fg1 += v.get(1).f(1, r);
        valid1 += v.get(2).f(1, r);
      }
      // Image 0: 2 valid proposals + 1 gt; foreground: proposal 0 (IoU 0.9) and the gt box.
      assertEquals(2f, fg0);
      assertEquals(3f, valid0);
      // Image 1: no objects, the one valid proposal is background.
      assertEquals(0f, fg1);
      assertEquals(1f, valid1);
    }
  }
}
