package org.mustjava.core.summary;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFOutOfRangeException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.data.DatasetOptions;
import org.tensorflow.types.TString;

/**
 * Reads a TFRecord file with TensorFlow's own reader kernel ({@code TFRecordDataset} raw op in an
 * {@code OptionsDataset}, read through a named iterator), independently of the project's Java
 * reader. Test-local: must-core cannot use must-data's tf.data utilities.
 */
final class TfRecordKernelReader {
  private TfRecordKernelReader() {}

  static List<byte[]> readAll(Path file) {
    List<byte[]> records = new ArrayList<>();
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      List<Class<? extends org.tensorflow.types.family.TType>> types = List.of(TString.class);
      List<Shape> shapes = List.of(Shape.scalar());
      Operand<?> ds = tf.data.tfRecordDataset(tf.constant(file.toString()), tf.constant(""), tf.constant(0L), tf.constant(0L)); // buffer size (default), byte offset
      String options = new String(DatasetOptions.Options.newBuilder()
          .setOptimizationOptions(DatasetOptions.OptimizationOptions.newBuilder().setApplyDefaultOptimizations(false))
          .build().toByteArray(), StandardCharsets.ISO_8859_1);
      ds = tf.data.optionsDataset(ds, options, types, shapes);
      Operand<?> it = tf.data.iterator("records", "", types, shapes);
      var init = tf.data.makeIterator(ds, it);
      var next = tf.data.iteratorGetNext(it, types, shapes);
      s.runner().addTarget(init).run();
      while (true) {
        try (Result r = s.runner().fetch(next.components().get(0)).run()) {
          records.add(((TString) r.get(0)).asBytes().getObject());
        } catch (TFOutOfRangeException end) {
          return records;
        }
      }
    }
  }
}
