package org.mustjava.data.bench;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A stand-in training step for the throughput comparison: a narrow ResNet-like classifier (stem
 * 3x3/16, three stages of [3x3 stride-2 conv, 3x3 conv + residual] at 32/64/128 channels, global
 * average pool, linear to 10 classes, no BatchNorm), squared-error loss on one-hot targets, plain
 * SGD on every weight. It is not the project's model; it only gives the order of magnitude of what
 * a small-image training step consumes on this machine.
 */
final class TinyTrainStep {
  final Operand<TFloat32> loss;
  final List<Op> updates = new ArrayList<>();
  final List<Op> initializers = new ArrayList<>();
  private final List<Variable<TFloat32>> variables = new ArrayList<>();

  TinyTrainStep(Graph graph, Ops tf, Operand<TFloat32> images, Operand<TFloat32> targets, int classes) {
    Ops net = tf.withSubScope("tiny_net");
    Operand<TFloat32> x = conv(net, images, 3, 16, 1);
    int in = 16;
    for (int width : new int[] {32, 64, 128}) {
      Operand<TFloat32> down = net.nn.relu(conv(net, x, in, width, 2));
      x = net.nn.relu(net.math.add(conv(net, down, width, width, 1), down));
      in = width;
    }
    Operand<TFloat32> pooled = net.math.mean(x, net.constant(new int[] {1, 2}));
    Operand<TFloat32> logits = net.linalg.matMul(pooled, weight(net, Shape.of(in, classes), in));
    Operand<TFloat32> diff = net.math.sub(logits, targets);
    loss = net.math.mean(net.math.mul(diff, diff), net.constant(new int[] {0, 1}));
    Output<?>[] vars = variables.stream().map(Variable::asOutput).toArray(Output<?>[]::new);
    Output<?>[] grads = graph.addGradients(loss.asOutput(), vars);
    for (int i = 0; i < grads.length; i++) {
      @SuppressWarnings("unchecked")
      Operand<TFloat32> g = (Operand<TFloat32>) grads[i];
      updates.add(net.train.applyGradientDescent(variables.get(i), net.constant(1e-3f), g));
    }
  }

  private Operand<TFloat32> conv(Ops tf, Operand<TFloat32> x, int in, int out, int stride) {
    Operand<TFloat32> w = weight(tf, Shape.of(3, 3, in, out), 9 * in);
    return tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
  }

  /** A He-initialised weight, read through Identity (never the raw variable). */
  private Operand<TFloat32> weight(Ops tf, Shape shape, int fanIn) {
    Variable<TFloat32> v = tf.variable(shape, TFloat32.class);
    Operand<TFloat32> init =
        tf.math.mul(
            tf.random.truncatedNormal(tf.constant(shape), TFloat32.class),
            tf.constant((float) Math.sqrt(2.0 / fanIn)));
    initializers.add(tf.assign(v, init));
    variables.add(v);
    return tf.identity(v);
  }
}
