package org.mustjava.models.tools;

import java.util.Iterator;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.ndarray.Shape;

/**
 * Counts the multiply-accumulates (MACs) of the {@code Conv2D} and {@code MatMul} ops of a graph
 * from their static shapes: a convolution producing [N, Ho, Wo, Co] from Ci input channels with a
 * kh x kw kernel costs N Ho Wo Co kh kw Ci MACs, a [M, K] x [K, N] product M K N. FLOPs are 2 x MACs.
 * Everything else (BatchNorm, activations, pooling, resizing, softmax, losses) is not counted: it
 * is a few percent of a ResNet's cost. This is the convention of most published ResNet numbers
 * (ResNet-50 at 224 px: about 4.1 G MACs).
 */
public final class FlopCounter {
  private FlopCounter() {}

  /** MACs of the counted ops whose name starts with {@code prefix} ("" for all). */
  public static long macs(Graph graph, String prefix) {
    long total = 0;
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (!op.name().startsWith(prefix)) continue;
      total += macs(op);
    }
    return total;
  }

  /** MACs of one op (0 for op types that are not counted). */
  public static long macs(GraphOperation op) {
    switch (op.type()) {
      case "Conv2D" -> {
        Shape out = op.output(0).shape();
        Shape kernel = op.input(1).shape();
        requireStatic(op, out);
        requireStatic(op, kernel);
        return out.size() * kernel.get(0) * kernel.get(1) * kernel.get(2);
      }
      case "MatMul" -> {
        Shape a = op.input(0).shape();
        Shape out = op.output(0).shape();
        requireStatic(op, a);
        requireStatic(op, out);
        boolean transposeA = op.attributes().getAttrBool("transpose_a");
        long k = transposeA ? a.get(0) : a.get(1);
        return out.size() * k;
      }
      default -> {
        return 0;
      }
    }
  }

  private static void requireStatic(GraphOperation op, Shape s) {
    if (s.isUnknown() || s.hasUnknownDimension()) {
      throw new IllegalStateException("cannot count FLOPs of " + op.name() + " (" + op.type()
          + "): its shape " + s + " is not static; build the model on a fixed-size input");
    }
  }
}
