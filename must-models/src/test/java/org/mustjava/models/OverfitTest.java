package org.mustjava.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.models.backbones.ResNet;
import org.mustjava.models.decoders.FPN;
import org.mustjava.models.testing.MomentumStep;
import org.mustjava.models.testing.SyntheticBatch;
import org.mustjava.models.testing.TinyModels;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The tiny multi-task model (ResNet-18 x0.25 + FPN + classification, segmentation, depth,
 * normals; 64 px) fits four synthetic examples: within {@value #MAX_STEPS} SGD-with-momentum
 * steps the summed task loss falls by at least {@value #FACTOR}x and every head's loss by at least
 * {@value #HEAD_FACTOR}x (best value so far vs the first step).
 */
class OverfitTest {
  static final int MAX_STEPS = 60;
  static final double FACTOR = 20;
  static final double HEAD_FACTOR = 3;

  private static boolean everyHeadFell(float[] first, float[] best) {
    for (int i = 0; i < first.length; i++) if (best[i] * HEAD_FACTOR > first[i]) return false;
    return true;
  }

  @Test
  void tinyMultiTaskModelOverfitsSyntheticExamples() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      GraphContext ctx = GraphContext.create(g, 7);
      Ops tf = ctx.tf();
      SyntheticBatch batch = new SyntheticBatch(4, 64, 64, TinyModels.NUM_CLASSES, TinyModels.SEG_CLASSES, 5);
      MultiTaskModel model = new MultiTaskModel(ResNet.of(18, 0.25), FPN.of(2, 7, 32),
          TinyModels.allHeadList(32), Map.of());
      ModelOutput out = model.build(ctx, batch.images(tf), batch.labels(tf, false));
      List<String> heads = List.copyOf(out.weightedLosses().keySet());
      var taskLoss = tf.math.addN(List.copyOf(out.weightedLosses().values()));
      Op train = MomentumStep.build(ctx, out.totalLoss(), 0.05f, 0.9f);
      s.initialize();
      List<Float> history = new ArrayList<>();
      float[] firstPerHead = new float[heads.size()];
      float[] bestPerHead = new float[heads.size()];
      java.util.Arrays.fill(bestPerHead, Float.POSITIVE_INFINITY);
      float first = Float.NaN;
      float best = Float.POSITIVE_INFINITY;
      int step = 0;
      while (step < MAX_STEPS) {
        var runner = s.runner().fetch(taskLoss).addTarget(train);
        heads.forEach(h -> runner.fetch(out.weightedLosses().get(h)));
        try (Result r = runner.run()) {
          float loss = ((TFloat32) r.get(0)).getFloat();
          assertTrue(Float.isFinite(loss), "loss at step " + step + ": " + loss);
          history.add(loss);
          for (int i = 0; i < heads.size(); i++) {
            float l = ((TFloat32) r.get(1 + i)).getFloat();
            if (step == 0) firstPerHead[i] = l;
            bestPerHead[i] = Math.min(bestPerHead[i], l);
          }
          if (step == 0) first = loss;
          best = Math.min(best, loss);
        }
        step++;
        if (best * FACTOR <= first && everyHeadFell(firstPerHead, bestPerHead)) break;
      }
      System.out.println("OverfitTest: task loss " + history + " (" + step + " steps)");
      assertTrue(best * FACTOR <= first,
          "task loss fell from " + first + " to " + best + " in " + step + " steps, less than " + FACTOR + "x: " + history);
      for (int i = 0; i < heads.size(); i++) {
        assertTrue(bestPerHead[i] * HEAD_FACTOR <= firstPerHead[i], heads.get(i) + " loss fell from "
            + firstPerHead[i] + " only to " + bestPerHead[i]);
      }
    }
  }
}
