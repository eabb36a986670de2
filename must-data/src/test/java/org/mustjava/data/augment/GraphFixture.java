package org.mustjava.data.augment;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** A graph, its session and helpers that fetch small tensors as Java arrays. */
final class GraphFixture implements AutoCloseable {
  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  private Session session;

  private Session session() {
    if (session == null) {
      session = new Session(graph);
    }
    return session;
  }

  /** {@code [H, W, C]} float map from a {@code [H][W]} array with one channel. */
  Operand<TFloat32> map1(float[][] values) {
    float[][][] out = new float[values.length][values[0].length][1];
    for (int y = 0; y < values.length; y++) {
      for (int x = 0; x < values[0].length; x++) {
        out[y][x][0] = values[y][x];
      }
    }
    return tf.constant(out);
  }

  /** {@code [H, W, 1]} int label map from a {@code [H][W]} array. */
  Operand<TInt32> labels1(int[][] values) {
    int[][][] out = new int[values.length][values[0].length][1];
    for (int y = 0; y < values.length; y++) {
      for (int x = 0; x < values[0].length; x++) {
        out[y][x][0] = values[y][x];
      }
    }
    return tf.constant(out);
  }

  float[][][] floats3(Operand<TFloat32> x) {
    try (Result r = session().runner().fetch(x).run()) {
      return StdArrays.array3dCopyOf((TFloat32) r.get(0));
    }
  }

  float[][] floats2(Operand<TFloat32> x) {
    try (Result r = session().runner().fetch(x).run()) {
      return StdArrays.array2dCopyOf((TFloat32) r.get(0));
    }
  }

  int[][][] ints3(Operand<TInt32> x) {
    try (Result r = session().runner().fetch(x).run()) {
      return StdArrays.array3dCopyOf((TInt32) r.get(0));
    }
  }

  int[] ints1(Operand<TInt32> x) {
    try (Result r = session().runner().fetch(x).run()) {
      return StdArrays.array1dCopyOf((TInt32) r.get(0));
    }
  }

  int scalar(Operand<TInt32> x) {
    try (Result r = session().runner().fetch(x).run()) {
      return ((TInt32) r.get(0)).getInt();
    }
  }

  /** Drops the trailing channel axis of a one-channel map. */
  static float[][] channel0(float[][][] map) {
    float[][] out = new float[map.length][map[0].length];
    for (int y = 0; y < map.length; y++) {
      for (int x = 0; x < map[0].length; x++) {
        out[y][x] = map[y][x][0];
      }
    }
    return out;
  }

  static int[][] channel0(int[][][] map) {
    int[][] out = new int[map.length][map[0].length];
    for (int y = 0; y < map.length; y++) {
      for (int x = 0; x < map[0].length; x++) {
        out[y][x] = map[y][x][0];
      }
    }
    return out;
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
