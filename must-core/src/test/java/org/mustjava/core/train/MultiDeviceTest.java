package org.mustjava.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mustjava.core.graph.GraphContext;
import org.mustjava.core.graph.ModelVariable;
import org.mustjava.core.graph.MovingAverage;
import org.mustjava.core.train.testing.TinyConvTask;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Data parallelism: two towers on two logical CPU devices, each on half of the batch, with averaged
 * gradients, must update the variables as one tower on the whole batch does.
 *
 * <p>The model of the update comparison has no BatchNorm: per-tower BN normalises each half with
 * its own statistics, which legitimately differs from whole-batch statistics (as in TF's
 * per-replica BN). The losses are means over the batch, so the mean of the two half-batch
 * gradients equals the whole-batch gradient; only the summation order differs, hence the small
 * tolerance. With BatchNorm, the moving statistics are updated once from both towers.
 */
class MultiDeviceTest {
  @Test
  void twoTowersUpdateLikeOneTowerOnTheSameBatch() {
    Map<String, float[]> single = train(List.of(), 3);
    Map<String, float[]> towers = train(List.of("/device:CPU:0", "/device:CPU:1"), 3);
    assertEquals(single.keySet(), towers.keySet());
    int compared = 0;
    for (String name : single.keySet()) {
      float[] a = single.get(name);
      float[] b = towers.get(name);
      for (int i = 0; i < a.length; i++) {
        assertEquals(a[i], b[i], 2e-5 + 2e-5 * Math.abs(a[i]), name + "[" + i + "]");
        compared++;
      }
    }
    assertTrue(compared > 200, "compared " + compared + " values");
    // The comparison is not vacuous: training moved the weights.
    Map<String, float[]> initial = train(List.of(), 0);
    double moved = 0;
    for (String name : initial.keySet()) {
      if (name.startsWith("optimizer/")) continue;
      for (int i = 0; i < initial.get(name).length; i++) moved = Math.max(moved, Math.abs(initial.get(name)[i] - single.get(name)[i]));
    }
    assertTrue(moved > 1e-3, "weights moved by at most " + moved);
  }

  @Test
  void eachTowersBackwardPassRunsOnItsDevice() {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 9);
      TrainingGraph tg = TrainingGraph.builder(new TinyConvTask(8, true, 4, 1), root)
          .optimizer(new MomentumOptimizer(0.9, false))
          .schedule(new ConstantLearningRate(0.1))
          .devices(List.of("/device:CPU:0", "/device:CPU:1"))
          .totalSteps(1)
          .build();
      try (Session s = new Session(g, SessionConfigs.create(2, 1, 1))) {
        s.initialize();
        for (Op init : tg.trainInputs.initializers()) s.runner().addTarget(init).run();
        RunOptions options = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
        Map<String, String> placed = new LinkedHashMap<>();
        try (Result r = s.runner().addTarget(tg.trainOp).setOptions(options).runAndFetchMetadata()) {
          for (GraphDef part : r.getMetadata().orElseThrow().getPartitionGraphsList()) {
            for (NodeDef n : part.getNodeList()) placed.put(n.getName(), n.getDevice());
          }
        }
        int checked = 0;
        for (Map.Entry<String, String> e : placed.entrySet()) {
          // Send/receive nodes the partitioner adds ("<name>/_<n>") sit on both ends of an edge.
          if (!e.getKey().startsWith("gradients") || e.getKey().matches(".*/_\\d+$")) continue;
          String tower = e.getKey().startsWith("gradients_1/") ? "CPU:1" : e.getKey().startsWith("gradients/") ? "CPU:0" : null;
          if (tower == null) continue;
          assertTrue(e.getValue().endsWith(tower), e.getKey() + " is on " + e.getValue() + ", not its tower's " + tower);
          checked++;
        }
        long backpropOnSecond = placed.entrySet().stream()
            .filter(e -> e.getKey().startsWith("gradients_1/") && e.getValue().endsWith("CPU:1")).count();
        assertTrue(checked > 50 && backpropOnSecond > 20, "checked " + checked + ", on CPU:1 " + backpropOnSecond);
      }
    }
  }

  @Test
  void batchNormMovingStatisticsComeFromEveryTower() {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 9);
      TrainingGraph tg = TrainingGraph.builder(new TinyConvTask(8, true, 4, 1), root)
          .optimizer(new MomentumOptimizer(0.9, false))
          .schedule(new ConstantLearningRate(0.1))
          .devices(List.of("/device:CPU:0", "/device:CPU:1"))
          .totalSteps(1)
          .build();
      // Each tower registered its moving averages; the step applies one update per variable.
      List<MovingAverage> averages = root.movingAverages();
      assertEquals(4, averages.size(), "two statistics x two towers");
      try (Session s = new Session(g, SessionConfigs.create(2, 1, 1))) {
        s.initialize();
        for (Op init : tg.trainInputs.initializers()) s.runner().addTarget(init).run();
        float[][] batch = new float[4][];
        try (Result r = s.runner().addTarget(tg.trainOp).fetch(averages.get(0).batchValue()).fetch(averages.get(1).batchValue())
            .fetch(averages.get(2).batchValue()).fetch(averages.get(3).batchValue()).run()) {
          for (int i = 0; i < 4; i++) batch[i] = floats((TFloat32) r.get(i));
        }
        for (int stat = 0; stat < 2; stat++) {
          MovingAverage tower0 = averages.get(stat);
          MovingAverage tower1 = averages.get(stat + 2);
          assertEquals(tower0.variable().name(), tower1.variable().name());
          float initial = tower0.variable().name().endsWith("moving_mean") ? 0f : 1f;
          float[] after;
          try (Result r = s.runner().fetch(tower0.variable().variable()).run()) {
            after = floats((TFloat32) r.get(0));
          }
          for (int c = 0; c < after.length; c++) {
            float mean = (batch[stat][c] + batch[stat + 2][c]) / 2;
            assertEquals(initial - 0.1f * (initial - mean), after[c], 1e-6, tower0.variable().name() + "[" + c + "]");
          }
          // Not vacuous: the towers' statistics differ, so tower 0 alone would give another value.
          assertTrue(Math.abs(batch[stat][0] - batch[stat + 2][0]) > 1e-4, "towers saw different statistics");
        }
      }
    }
  }

  private static float[] floats(TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  /** Runs {@code steps} train steps and returns every trainable variable and momentum slot. */
  private static Map<String, float[]> train(List<String> devices, int steps) {
    try (Graph g = new Graph()) {
      GraphContext root = GraphContext.create(g, 9);
      TrainingGraph tg = TrainingGraph.builder(new TinyConvTask(8, false, 4, 1), root)
          .optimizer(new MomentumOptimizer(0.9, false))
          .schedule(new ConstantLearningRate(0.1))
          .weightDecay(1e-3)
          .devices(devices)
          .totalSteps(Math.max(1, steps))
          .build();
      if (devices.size() == 2) {
        boolean onSecond = false;
        for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
          GraphOperation op = it.next();
          if (op.type().equals("Conv2D") && op.device().endsWith("CPU:1")) onSecond = true;
        }
        assertTrue(onSecond, "the second tower's convolution is placed on /device:CPU:1");
      }
      try (Session s = new Session(g, SessionConfigs.create(2, 1, 1))) {
        s.initialize();
        for (Op init : tg.trainInputs.initializers()) s.runner().addTarget(init).run();
        for (int i = 0; i < steps; i++) s.runner().addTarget(tg.trainOp).run();
        Map<String, float[]> out = new LinkedHashMap<>();
        List<ModelVariable> vars = new ArrayList<>(root.variables());
        for (ModelVariable v : vars) {
          try (Result r = s.runner().fetch(v.variable()).run()) {
            TFloat32 t = (TFloat32) r.get(0);
            float[] values = new float[(int) t.size()];
            t.asRawTensor().data().asFloats().read(values);
            out.put(v.name(), values);
          }
        }
        return out;
      }
    }
  }
}
