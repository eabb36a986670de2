package org.mustjava.experiments.pseudolabel;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Brings one image's dense teacher output back to the original image: the rows of the batch
 * output, cropped to the region that covers the image ({@link InputGeometry#validRegion}) and
 * resized bilinearly (half-pixel centres) to {@code h x w}. For segmentation it then takes, per
 * pixel, the top probability and its class (softmax of the resized logits, or the resized
 * probabilities as given). Multi-channel maps (normals) are resized channel by channel.
 */
final class PixelMapResizer implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> maps;
  private final Placeholder<TInt32> row;
  private final Placeholder<TInt32> crop;
  private final Placeholder<TInt32> target;
  private final Operand<TFloat32> values;
  private final Operand<TFloat32> confidenceFromLogits;
  private final Operand<TInt32> classesFromLogits;
  private final Operand<TFloat32> confidenceFromProbabilities;
  private final Operand<TInt32> classesFromProbabilities;

  PixelMapResizer() {
    Ops tf = Ops.create(graph);
    maps = tf.withName("maps").placeholder(TFloat32.class);
    row = tf.withName("row").placeholder(TInt32.class, Placeholder.shape(Shape.scalar()));
    crop = tf.withName("crop").placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    target = tf.withName("target").placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
    // [B, H, W] (depth) or [B, H, W, C] -> [B, H, W, C or 1].
    Operand<TInt32> shape = tf.concat(List.of(
        tf.slice(tf.shape(maps), tf.constant(new int[] {0}), tf.constant(new int[] {3})), tf.constant(new int[] {-1})),
        tf.constant(0));
    Operand<TFloat32> map = tf.gather(tf.reshape(maps, shape), row, tf.constant(0));
    Operand<TFloat32> cropped = tf.slice(map, tf.constant(new int[] {0, 0, 0}),
        tf.concat(List.of(crop, tf.constant(new int[] {-1})), tf.constant(0)));
    Operand<TFloat32> resized = tf.image.resizeBilinear(tf.expandDims(cropped, tf.constant(0)), target,
        ResizeBilinear.halfPixelCenters(true));
    values = tf.squeeze(resized, org.tensorflow.op.core.Squeeze.axis(List.of(0L)));
    Operand<TFloat32> fromLogits = tf.nn.softmax(values);
    confidenceFromLogits = tf.reduceMax(fromLogits, tf.constant(-1), ReduceMax.keepDims(false));
    classesFromLogits = tf.math.argMax(fromLogits, tf.constant(-1), TInt32.class);
    confidenceFromProbabilities = tf.reduceMax(values, tf.constant(-1), ReduceMax.keepDims(false));
    classesFromProbabilities = tf.math.argMax(values, tf.constant(-1), TInt32.class);
    session = new Session(graph);
  }

  /** Segmentation: per pixel of the original image, {@code classes} and {@code confidence} (h*w, row-major). */
  void classes(TFloat32 batch, int index, InputGeometry g, boolean logits, int[] classes, float[] confidence) {
    try (Feeds f = new Feeds(batch, index, g)) {
      Session.Runner r = f.runner().fetch(logits ? classesFromLogits : classesFromProbabilities)
          .fetch(logits ? confidenceFromLogits : confidenceFromProbabilities);
      try (Result res = r.run()) {
        ((TInt32) res.get(0)).copyTo(DataBuffers.of(classes, false, false));
        ((TFloat32) res.get(1)).copyTo(DataBuffers.of(confidence, false, false));
      }
    }
  }

  /**
   * Depth and normals: the map at the original resolution, h*w*C values (row-major, channels
   * interleaved) for a {@code [B, H, W]} (C = 1) or {@code [B, H, W, C]} batch.
   */
  float[] values(TFloat32 batch, int index, InputGeometry g) {
    Shape s = batch.shape();
    int channels = s.numDimensions() == 4 ? (int) s.size(3) : 1;
    try (Feeds f = new Feeds(batch, index, g); Result res = f.runner().fetch(values).run()) {
      float[] out = new float[g.height() * g.width() * channels];
      ((TFloat32) res.get(0)).copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  /** The fed tensors of one call. */
  private final class Feeds implements AutoCloseable {
    private final TInt32 rowT;
    private final TInt32 cropT;
    private final TInt32 targetT;
    private final TFloat32 batch;

    Feeds(TFloat32 batch, int index, InputGeometry g) {
      this.batch = batch;
      Shape s = batch.shape();
      int[] region = g.validRegion((int) s.size(1), (int) s.size(2));
      rowT = TInt32.scalarOf(index);
      cropT = TInt32.vectorOf(region[0], region[1]);
      targetT = TInt32.vectorOf(g.height(), g.width());
    }

    Session.Runner runner() {
      return session.runner().feed(maps, batch).feed(row, rowT).feed(crop, cropT).feed(target, targetT);
    }

    @Override
    public void close() {
      rowT.close();
      cropT.close();
      targetT.close();
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
