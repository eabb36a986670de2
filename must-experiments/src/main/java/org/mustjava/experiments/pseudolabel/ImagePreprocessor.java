package org.mustjava.experiments.pseudolabel;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.image.DecodeImage;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TString;
import org.tensorflow.types.TUint8;

/**
 * Turns one encoded image into every teacher's input in a single session run: decoded once (JPEG
 * or PNG, 3 channels, TensorFlow's decoder like the training pipeline), then per teacher resized
 * bilinearly (half-pixel centres) to its {@link InputGeometry}, padded with the mean colour and
 * normalised ({@code (pixel - mean) / std}) or, for uint8 inputs, rounded to 0..255.
 */
final class ImagePreprocessor implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TString> encoded;
  private final Operand<TInt32> decodedShape;
  private final List<Placeholder<TInt32>> sizes = new ArrayList<>();
  private final List<Placeholder<TInt32>> paddings = new ArrayList<>();
  private final List<Operand<?>> outputs = new ArrayList<>();

  ImagePreprocessor(List<Teacher> teachers) {
    Ops tf = Ops.create(graph);
    encoded = tf.withName("encoded").placeholder(TString.class, Placeholder.shape(Shape.scalar()));
    DecodeImage<TUint8> image = tf.image.decodeImage(encoded, new DecodeImage.Options[] {DecodeImage.channels(3L), DecodeImage.expandAnimations(false)});
    decodedShape = tf.shape(image);
    Operand<TFloat32> pixels = tf.expandDims(tf.dtypes.cast(image, TFloat32.class), tf.constant(0));
    for (int i = 0; i < teachers.size(); i++) {
      Teacher t = teachers.get(i);
      Ops b = tf.withSubScope("teacher_" + i);
      Placeholder<TInt32> size = b.withName("size").placeholder(TInt32.class, Placeholder.shape(Shape.of(2)));
      Placeholder<TInt32> pad = b.withName("paddings").placeholder(TInt32.class, Placeholder.shape(Shape.of(4, 2)));
      Operand<TFloat32> mean = b.constant(t.config().inputMean());
      Operand<TFloat32> resized = b.image.resizeBilinear(pixels, size, ResizeBilinear.halfPixelCenters(true));
      // Padding 0 after centring is the mean colour; the normalised value of the mean is 0.
      Operand<TFloat32> padded = b.pad(b.math.sub(resized, mean), pad, b.constant(0f));
      Operand<?> out = t.uint8Input()
          ? b.dtypes.cast(b.clipByValue(b.math.round(b.math.add(padded, mean)), b.constant(0f), b.constant(255f)), TUint8.class)
          : b.math.div(padded, b.constant(t.config().inputStd()));
      sizes.add(size);
      paddings.add(pad);
      outputs.add(out);
    }
    session = new Session(graph);
  }

  /**
   * Writes the image into row {@code row} of every teacher's {@code [B, S, S, 3]} batch.
   *
   * @param geometries per teacher, for the image's recorded height and width
   * @param batches per teacher, a {@link TFloat32} or {@link TUint8} batch
   * @param who names the image in errors (file, record, source id)
   */
  void preprocess(byte[] image, List<InputGeometry> geometries, List<Tensor> batches, int row, String who) {
    try (TString in = TString.tensorOfBytes(NdArrays.scalarOfObject(image))) {
      Session.Runner r = session.runner().feed(encoded, in);
      List<TInt32> fed = new ArrayList<>();
      try {
        for (int i = 0; i < geometries.size(); i++) {
          InputGeometry g = geometries.get(i);
          TInt32 size = TInt32.vectorOf(g.resizedHeight(), g.resizedWidth());
          TInt32 pad = TInt32.tensorOf(StdArrays.ndCopyOf(
              new int[][] {{0, 0}, {0, g.size() - g.resizedHeight()}, {0, g.size() - g.resizedWidth()}, {0, 0}}));
          fed.add(size);
          fed.add(pad);
          r.feed(sizes.get(i), size).feed(paddings.get(i), pad);
          r.fetch(outputs.get(i));
        }
        r.fetch(decodedShape);
        Result res;
        try {
          res = r.run();
        } catch (RuntimeException e) {
          throw new IllegalArgumentException(who + ": cannot decode the image: " + e.getMessage(), e);
        }
        try (res) {
          TInt32 shape = (TInt32) res.get(geometries.size());
          InputGeometry g0 = geometries.get(0);
          if (shape.getInt(0) != g0.height() || shape.getInt(1) != g0.width()) {
            throw new IllegalArgumentException(who + ": image/height x image/width is " + g0.height() + "x" + g0.width()
                + " but the image decodes to " + shape.getInt(0) + "x" + shape.getInt(1));
          }
          for (int i = 0; i < geometries.size(); i++) copyRow(res.get(i), batches.get(i), row);
        }
      } finally {
        for (TInt32 t : fed) t.close();
      }
    }
  }

  /** Copies a {@code [1, S, S, 3]} result into row {@code row} of a batch (results die with their {@link Result}). */
  private static void copyRow(Tensor image, Tensor batch, int row) {
    if (image instanceof TFloat32 f) {
      f.get(0).copyTo(((TFloat32) batch).get(row));
    } else {
      ((TUint8) image).get(0).copyTo(((TUint8) batch).get(row));
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
