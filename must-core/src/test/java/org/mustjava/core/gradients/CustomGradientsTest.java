package org.mustjava.core.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

class CustomGradientsTest {

  @Test
  void registrationIsIdempotentAndThreadSafe() throws InterruptedException {
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Thread t = new Thread(CustomGradients::ensureRegistered);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) t.join();
    CustomGradients.ensureRegistered();
    Map<String, CustomGradients.Status> status = CustomGradients.status();
    assertEquals(CustomGradients.Status.REGISTERED, status.get("SparseSoftmaxCrossEntropyWithLogits"));
    assertEquals(CustomGradients.Status.REGISTERED, status.get("TopKV2"));
    // A second registration of the same op type is a no-op reporting the first outcome.
    assertEquals(CustomGradients.Status.REGISTERED, CustomGradients.register(new TopKGradient()));
  }

  @Test
  void sparseSoftmaxCrossEntropyMatchesFiniteDifferences() {
    CustomGradients.ensureRegistered();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var logits = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(4, 5)));
      Operand<TInt32> labels = tf.constant(new int[] {0, 3, 4, 1});
      var loss = tf.nn.sparseSoftmaxCrossEntropyWithLogits(logits, labels).loss();
      try (TFloat32 x0 = random(Shape.of(4, 5), 1, 2f)) {
        GradientChecker.Result r = GradientChecker.check(g, s, loss, logits, x0, Map.of(), 1e-3);
        assertTrue(r.maxRelError() < 2e-3, r.toString());
      }
    }
  }

  @Test
  void topKMatchesFiniteDifferencesOnValuesAndIgnoresUnselectedInputs() {
    CustomGradients.ensureRegistered();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(2, 3, 6)));
      var values = tf.nn.topK(x, tf.constant(3), new TopK.Options[0]).values();
      // Distinct values spaced far more than the finite-difference step: no ties.
      float[] v = new float[36];
      for (int i = 0; i < v.length; i++) v[i] = ((i * 17) % 36) * 0.1f;
      try (TFloat32 x0 = TFloat32.tensorOf(Shape.of(2, 3, 6))) {
        int[] k = {0};
        x0.scalars().forEach(e -> e.setFloat(v[k[0]++]));
        GradientChecker.Result r = GradientChecker.check(g, s, values, x, x0, Map.of(), 1e-2);
        assertTrue(r.maxRelError() < 2e-3, r.toString());
        int zeros = 0;
        for (float a : r.analytic()) if (a == 0f) zeros++;
        assertEquals(18, zeros, "half of each row is not selected");
      }
    }
  }

  @Test
  void checkerDetectsAWrongGradient() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(3)));
      // d/dx (x + x^2) = 1 + 2x, but the graph only sees the first term.
      var y = tf.math.add(x, tf.stopGradient(tf.math.square(x)));
      try (TFloat32 x0 = TFloat32.vectorOf(1f, 2f, 3f)) {
        GradientChecker.Result r = GradientChecker.check(g, s, y, x, x0, Map.<Operand<?>, Tensor>of(), 1e-3);
        assertTrue(r.maxRelError() > 0.5, r.toString());
      }
    }
  }

  static TFloat32 random(Shape shape, long seed, float scale) {
    TFloat32 t = TFloat32.tensorOf(shape);
    Random r = new Random(seed);
    t.scalars().forEach(e -> e.setFloat((float) r.nextGaussian() * scale));
    return t;
  }
}
