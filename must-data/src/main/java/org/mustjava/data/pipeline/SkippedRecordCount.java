package org.mustjava.data.pipeline;

import java.util.List;
import org.mustjava.data.tfdata.RawDataset;
import org.tensorflow.ConcreteFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TType;

/**
 * Counts the records {@code IgnoreErrorsDataset} dropped, which the op itself does not report.
 * Every element is numbered before it is read and decoded, so a dropped record leaves a gap in the
 * numbers; a {@code ScanDataset} after the drop replaces each element's number by the count of
 * numbers missing just before it. Its state (the next number expected) is part of the iterator
 * state, so a resumed run goes on counting where the checkpoint left off.
 *
 * <p>Exact when the decode map keeps element order ({@code Pipeline.deterministic}, the default);
 * otherwise an element overtaken by a later one is counted as dropped. Records dropped after the
 * last element read are counted with the next element (at the end of an evaluation set: never).
 */
final class SkippedRecordCount {
  private SkippedRecordCount() {}

  /**
   * {@code ds} with component {@code numberAt} (int64 element numbers) replaced by the number of
   * elements missing before each element.
   *
   * @param firstNumber the number of the first element {@code ds} yields when nothing is dropped
   */
  static RawDataset apply(Ops tf, Graph graph, RawDataset ds, int numberAt, long firstNumber) {
    if (numberAt < 0) {
      throw new IllegalArgumentException("the element has no number component");
    }
    ConcreteFunction count = countFunction(ds.types(), numberAt);
    graph.attachFunction(count);
    return new RawDataset(
        tf.data.scanDataset(
            ds.handle(), List.of(tf.constant(firstNumber)), List.of(), count, ds.types(), ds.shapes()),
        ds.types(), ds.shapes());
  }

  /** (next expected number, element) -> (next expected number, element with its gap count). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ConcreteFunction countFunction(List<Class<? extends TType>> types, int numberAt) {
    return ConcreteFunction.create(
        tf -> {
          Placeholder<TInt64> expected = tf.withName("expected").placeholder(TInt64.class);
          Signature.Builder sig = Signature.builder().input("expected", expected);
          Operand<?>[] outputs = new Operand<?>[types.size()];
          Operand<TInt64> next = null;
          for (int i = 0; i < types.size(); i++) {
            Placeholder<?> in = tf.withName("component_" + i).placeholder((Class) types.get(i));
            sig.input("component_" + i, in);
            if (i == numberAt) {
              Operand<TInt64> number = (Operand<TInt64>) in;
              outputs[i] = tf.math.maximum(tf.math.sub(number, expected), tf.constant(0L));
              next = tf.math.maximum(expected, tf.math.add(number, tf.constant(1L)));
            } else {
              outputs[i] = tf.identity((Operand) in);
            }
          }
          sig.output("next_expected", next);
          for (int i = 0; i < outputs.length; i++) sig.output("component_" + i, outputs[i]);
          return sig.build();
        });
  }
}
