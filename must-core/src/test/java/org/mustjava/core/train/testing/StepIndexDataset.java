package org.mustjava.core.train.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.data.DatasetOptions;
import org.tensorflow.types.TInt64;

/**
 * Test input: a tf.data range of int64 batch indices {@code [start, stop)} read through a named
 * iterator, from which test tasks derive their batch with stateless random ops. Models the resume
 * contract of a real pipeline: starting at {@code startStep} yields exactly the batches an
 * uninterrupted run would see from that step on.
 */
public final class StepIndexDataset {
  public final Operand<TInt64> index;
  public final Op initializer;
  /** The iterator resource, whose state a checkpoint can save. */
  public final Operand<?> iterator;

  public StepIndexDataset(Ops tf, String name, long start, long stop) {
    List<Class<? extends org.tensorflow.types.family.TType>> types = List.of(TInt64.class);
    List<Shape> shapes = List.of(Shape.scalar());
    Operand<?> range = tf.data.rangeDataset(tf.constant(start), tf.constant(stop), tf.constant(1L), types, shapes);
    String options = new String(DatasetOptions.Options.newBuilder()
        .setOptimizationOptions(DatasetOptions.OptimizationOptions.newBuilder().setApplyDefaultOptimizations(false))
        .build().toByteArray(), StandardCharsets.ISO_8859_1);
    Operand<?> ds = tf.data.optionsDataset(range, options, types, shapes);
    Operand<?> it = tf.withName(name + "_iterator").data.iterator("test_" + name, "", types, shapes);
    this.iterator = it;
    this.initializer = tf.withName(name + "_init").data.makeIterator(ds, it);
    this.index = tf.withName(name + "_next").data.iteratorGetNext(it, types, shapes).components().get(0).expect(TInt64.class);
  }
}
